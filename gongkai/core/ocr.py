"""Reading scans: images and PDFs without a text layer, recognised by tesseract (chi_sim+eng).

Pure functions, no models: `needs_ocr` says whether a file's text must come from OCR,
`recognise` runs the `tesseract` binary page by page (no shell, one core, a timeout per page) and
returns the text, the mean word confidence and each page's words with their boxes. Every file is
opened through gongkai.core.safefile first (an image's pixels, a TIFF's pages, a PDF's pages);
PDF pages are then rendered by PyMuPDF at about 300 dpi, fewer when the page would pass the image
pixel limit. A PDF is decided page by page: a page whose text layer is (nearly) empty and that
holds an image is a scanned page and is read by OCR; the other pages keep their text layer, so
one scanned page inside a text PDF is read too. A multi-page TIFF has a page a frame.

The text is built for the privacy shield: tesseract's chi_sim output puts a space between Han
characters, which would cut a name like 郑飞涛 into three words, so words are joined without a
space unless both sides are Latin letters or digits, or the gap between them is wide (a table's
columns). One line per recognised line, a blank line between blocks and between pages.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from . import safefile

LANGUAGES = "chi_sim+eng"
IMAGE_KINDS = frozenset({"png", "jpeg", "tiff"})
# A page of a real text PDF has hundreds of characters; a scanned page's text layer is empty or a
# few stray characters (a page number, a stamp's OCR by the scanner).
MIN_CHARS_PER_PAGE = 20
# An image less than this many pixels high or wide (an icon, a spacer) cannot hold a legible
# character.
MIN_TEXT_PIXELS = 16
# Words further apart than this many line heights are separate (table columns, a signature
# block), so they keep a space between them.
WIDE_GAP = 1.5

_LATIN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")


class OcrError(Exception):
    """A scan that could not be read; `str()` is the translated message."""


class OcrUnavailable(OcrError):
    """tesseract or its Chinese model is not installed."""


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float  # mean word confidence, 0–100 (0 when no word was found)
    # [{"page", "width", "height", "dpi", "words": [[text, x, y, w, h, conf], ...],
    #   "offsets": [start of each word in `text`, ...]}, ...]
    pages: list[dict] = field(default_factory=list)

    @property
    def reliable(self) -> bool:
        return self.confidence >= min_confidence()


def min_confidence() -> float:
    return float(settings.GONGKAI_OCR_MIN_CONFIDENCE)


def _binary() -> str:
    return settings.GONGKAI_OCR_TESSERACT


@functools.lru_cache(maxsize=4)
def _languages(binary: str) -> frozenset[str]:
    result = subprocess.run(  # noqa: S603 — a fixed argument list, no shell
        [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    lines = (result.stdout + result.stderr).splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def unavailable_reason() -> str | None:
    """Why OCR cannot run here (translated), or None when tesseract and chi_sim are there."""
    binary = shutil.which(_binary())
    if binary is None:
        return _(
            "OCR is not available: the tesseract program is not installed (Debian package "
            "tesseract-ocr)."
        )
    try:
        languages = _languages(binary)
    except (OSError, subprocess.SubprocessError):
        return _("OCR is not available: the tesseract program cannot be run.")
    missing = [lang for lang in LANGUAGES.split("+") if lang not in languages]
    if missing:
        return _(
            "OCR is not available: tesseract has no %(languages)s model (Debian package "
            "tesseract-ocr-chi-sim)."
        ) % {"languages": ", ".join(missing)}
    return None


def check_available() -> str:
    """The tesseract binary's path; OcrUnavailable when it or a model is missing."""
    reason = unavailable_reason()
    binary = None if reason else shutil.which(_binary())
    if binary is None:  # gone since unavailable_reason looked
        raise OcrUnavailable(
            reason
            or _(
                "OCR is not available: the tesseract program is not installed (Debian package "
                "tesseract-ocr)."
            )
        )
    return binary


def _pdf_page_count(data: bytes, *, name: str) -> int:
    with safefile.pdf_limits():
        return len(safefile.open_pdf(data, name=name).pages)


def needs_ocr(kind: str, data: bytes) -> bool:
    """Whether some of the file's text must come from OCR: an image (a TIFF page) large enough
    to hold a line of text; a PDF with at least one scanned page (`scanned_pages`, decided page
    by page from its own text layer)."""
    if kind == "tiff":
        try:  # any page: a fax's cover may be a small image
            return any(min(size) >= MIN_TEXT_PIXELS for size in safefile.tiff_pages(data, name=""))
        except safefile.FileRefused:
            return False
    if kind in IMAGE_KINDS:
        size = _image_size(data)
        return size is not None and min(size) >= MIN_TEXT_PIXELS
    if kind != "pdf":
        return False
    try:
        return any(scanned_pages(data, name="pdf"))
    except safefile.FileRefused:
        return False  # refused on upload already; nothing to read


def _image_size(data: bytes) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def _sparse(text: str) -> bool:
    return len(re.sub(r"\s", "", text or "")) < MIN_CHARS_PER_PAGE


def scanned_pages(data: bytes, *, name: str, texts: list[str] | None = None) -> list[bool]:
    """For each page of a PDF (as the safe reader counts them), whether it is a scanned page:
    it shows an image at least MIN_TEXT_PIXELS on each side and its text layer has fewer than
    MIN_CHARS_PER_PAGE non-space characters. A page without any image has nothing more to read,
    however little text. Only the pages with an image have their text extracted (`texts`, when
    given, is the text of every page)."""
    import pymupdf

    total = _pdf_page_count(data, name=name) if texts is None else len(texts)
    try:
        with pymupdf.open(stream=data, filetype="pdf") as document:
            imaged = [
                number < document.page_count and _has_text_image(document[number])
                for number in range(total)
            ]
    except (RuntimeError, ValueError):
        return [False] * total
    if not any(imaged):
        return imaged
    if texts is None:
        candidates = {number for number, image in enumerate(imaged) if image}
        texts = safefile.pdf_page_texts(data, name=name, only=candidates)
    return [image and _sparse(text) for image, text in zip(imaged, texts, strict=True)]


def _has_text_image(page) -> bool:
    # (xref, smask, width, height, …) of each image the page shows
    return any(min(image[2], image[3]) >= MIN_TEXT_PIXELS for image in page.get_images())


# --- page images -------------------------------------------------------------------------------


def _frame_png(frame) -> tuple[bytes, int, int]:
    from PIL import ImageOps

    upright = ImageOps.exif_transpose(frame).convert("L")
    out = io.BytesIO()
    upright.save(out, format="PNG")
    return out.getvalue(), upright.width, upright.height


def _frame_dpi(frame) -> int | None:
    """A TIFF page's resolution when it says one a scanner would use (a fax is 200 × 100)."""
    dpi = frame.info.get("dpi")
    if not dpi:
        return None
    value = round(float(dpi[0]))
    return value if 70 <= value <= 1200 else None


def image_pages(data: bytes, *, name: str, first: int = 0, count: int | None = None):
    """(grey png bytes, width, height, dpi) of each page of an image (a TIFF's frames), turned
    upright by its EXIF orientation, checked by the safe reader first."""
    from PIL import Image

    safefile.check_image(data, name=name)
    try:
        with Image.open(io.BytesIO(data)) as image:
            total = getattr(image, "n_frames", 1)
            last = total if count is None else min(total, first + count)
            for number in range(first, last):
                image.seek(number)
                png, width, height = _tiff_frame_png(data, image, name, number + 1)
                yield png, width, height, _frame_dpi(image)
    except safefile.FileRefused:
        raise  # a page refused in words (a ValueError too)
    except (OSError, ValueError, SyntaxError, EOFError, KeyError):
        # KeyError: Pillow's own lookups of a malformed directory
        raise safefile.damaged(name) from None


def _tag_ints(value) -> list[int]:
    """A TIFF tag's value as Pillow gives it (one number, or a tuple) as a list of ints."""
    if value is None:
        return []
    return [int(v) for v in value] if isinstance(value, tuple | list) else [int(value)]


def _tiff_frame_png(data: bytes, frame, name: str, page: int) -> tuple[bytes, int, int]:
    """A frame as a grey PNG. A TIFF page in the old-style JPEG of 1992 (compression 6, which
    libtiff will not decode) is the JPEG stream it points at, read as a JPEG; a page in any
    compression the decoder lacks is refused in words (FileRefused), never read as blank."""
    from PIL import Image

    if frame.format != "TIFF":
        return _frame_png(frame)
    compression = frame.tag_v2.get(259, 1)
    try:
        if compression == 6:
            stream = safefile.old_jpeg_stream(
                data, _tag_ints(frame.tag_v2.get(513)), _tag_ints(frame.tag_v2.get(514))
            )
            if not stream:
                raise OSError("no JPEG stream")
            safefile.check_image(stream, name=name)
            with Image.open(io.BytesIO(stream)) as jpeg:
                if jpeg.format != "JPEG" or jpeg.size != frame.size:
                    raise OSError("the JPEG stream is not the page")
                return _frame_png(jpeg)
        return _frame_png(frame)
    except (OSError, ValueError, SyntaxError) as exc:
        if isinstance(exc, safefile.FileRefused):
            raise
        raise safefile.tiff_compression_refused(name, page, compression) from None


def image_page(data: bytes, *, name: str, page: int = 1) -> tuple[bytes, int, int]:
    """Page `page` (from 1; a TIFF's frame) of an image as a grey PNG, with its size."""
    for png, width, height, _dpi in image_pages(data, name=name, first=page - 1, count=1):
        return png, width, height
    raise safefile.damaged(name)


def _scan_dpi(page) -> int | None:
    """The resolution of a page that is one scanned image: rendering at it keeps the scanner's
    pixels (resampling a 200 dpi scan to 300 dpi made tesseract misread whole lines)."""
    images = page.get_images(full=True)
    if len(images) != 1:
        return None
    xref, _smask, width_px = images[0][0], images[0][1], images[0][2]
    rects = page.get_image_rects(xref)
    if len(rects) != 1 or rects[0].width < page.rect.width / 2:
        return None
    return round(width_px / (rects[0].width / 72))


def render_dpi(width_pt: float, height_pt: float, scanned_at: int | None = None) -> int:
    """The scan's own resolution (within 150–400 dpi), else 300 dpi; less when the page would
    pass the image pixel limit."""
    dpi = settings.GONGKAI_OCR_DPI
    if scanned_at:
        dpi = min(max(scanned_at, 150), 400)
    inches = (width_pt / 72) * (height_pt / 72)
    if inches > 0:
        dpi = min(dpi, int(math.sqrt(safefile.limits().image_pixels / inches)))
    return max(dpi, 36)


def pdf_pages(
    data: bytes,
    *,
    name: str,
    first: int = 0,
    count: int | None = None,
    numbers: list[int] | None = None,
):
    """(png bytes, width, height, dpi) of the pages of a PDF (`numbers`, from 0, or `count`
    pages from `first`), checked by the safe reader first."""
    import pymupdf

    total = _pdf_page_count(data, name=name)
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError):
        raise safefile.damaged(name) from None
    with document:
        last = total if count is None else min(total, first + count)
        wanted = range(first, last) if numbers is None else [n for n in numbers if n < total]
        for number in wanted:
            page = document[number]
            dpi = render_dpi(page.rect.width, page.rect.height, _scan_dpi(page))
            pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
            yield pixmap.tobytes("png"), pixmap.width, pixmap.height, dpi


# --- tesseract ---------------------------------------------------------------------------------


def _tesseract_words(binary: str, png: bytes, *, dpi: int | None, page: int) -> list[dict]:
    """The recognised words of one page image (TSV rows of level 5 with some text)."""
    command = [binary, "stdin", "stdout", "-l", LANGUAGES]
    if dpi:
        command += ["--dpi", str(dpi)]
    command.append("tsv")
    timeout = float(settings.GONGKAI_OCR_PAGE_TIMEOUT)
    # one core: a server runs OCR beside the web workers, and tesseract's OpenMP threads would
    # take every core for a few percent of speed
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run(  # noqa: S603 — a fixed argument list, no shell
            command, input=png, capture_output=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        raise OcrError(
            _("Page %(page)d took longer than %(seconds)d seconds to read.")
            % {"page": page, "seconds": timeout}
        ) from None
    except OSError:
        raise OcrUnavailable(
            _("OCR is not available: the tesseract program cannot be run.")
        ) from None
    if result.returncode != 0:
        raise OcrError(_("Page %(page)d could not be read by OCR.") % {"page": page})
    rows = csv.DictReader(
        io.StringIO(result.stdout.decode("utf-8", "replace")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    words = []
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            words.append(
                {
                    "text": text,
                    "line": (int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
                    "box": tuple(int(row[k]) for k in ("left", "top", "width", "height")),
                    "conf": max(0.0, float(row["conf"])),
                }
            )
        except (KeyError, TypeError, ValueError):
            continue
    return words


def _joined(previous: dict, word: dict, line_height: float) -> str:
    """The separator between two words of a line: none between Han characters or punctuation,
    a space between Latin words or digits, and between words far apart."""
    x, _y, w, _h = previous["box"]
    gap = word["box"][0] - (x + w)
    if gap > WIDE_GAP * line_height:
        return " "
    if _LATIN.match(previous["text"][-1]) and _LATIN.match(word["text"][0]):
        return " "
    return ""


class _TextBuilder:
    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def text(self) -> str:
        return "".join(self.parts)


def _page_text(builder: _TextBuilder, words: list[dict]) -> list[int]:
    """Append one page's words to the text; the offset of each word in it."""
    offsets = []
    block = None
    line_key = None
    line_words: list[dict] = []

    def heights(ws):
        return statistics.median(w["box"][3] for w in ws) if ws else 0

    # words come in reading order; a new (block, paragraph, line) starts a line
    lines: list[tuple[tuple, list[dict]]] = []
    for word in words:
        if word["line"] != line_key:
            line_key = word["line"]
            line_words = []
            lines.append((line_key, line_words))
        line_words.append(word)
    for key, members in lines:
        if builder.length:
            builder.add("\n\n" if key[0] != block else "\n")
        block = key[0]
        height = heights(members)
        previous = None
        for word in members:
            if previous is not None:
                separator = _joined(previous, word, height)
                if separator:
                    builder.add(separator)
            offsets.append(builder.add(word["text"]))
            previous = word
    return offsets


def _max_pages() -> int:
    return settings.GONGKAI_OCR_MAX_PAGES


def _too_many_pages(name: str, pages: int) -> OcrError:
    return OcrError(
        _(
            "“%(name)s” has %(pages)d pages; scans of more than %(max)d pages are not "
            "read by OCR. Split it into several files."
        )
        % {"name": name, "pages": pages, "max": _max_pages()}
    )


def recognise(
    data: bytes,
    kind: str,
    *,
    name: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> OcrResult:
    """Read an image (each page of a TIFF) or the scanned pages of a PDF by OCR.

    The text is the file's pages in order: a scanned page as tesseract reads it, a PDF page with
    a text layer as extracted; `pages` (the layout) and the confidence cover the pages read by
    OCR only, each with its page number. `progress(done, total)` counts the pages to read: it is
    called before the first and after each. Raises OcrUnavailable, OcrError or
    safefile.FileRefused."""
    name = name or _("the file")
    binary = check_available()
    if kind in IMAGE_KINDS:
        total = len(safefile.tiff_pages(data, name=name)) if kind == "tiff" else 1
        if total > _max_pages():
            raise _too_many_pages(name, total)
        layers = [""] * total
        scanned = [True] * total
        images = image_pages(data, name=name)
    elif kind == "pdf":
        layers = safefile.pdf_page_texts(data, name=name)
        scanned = scanned_pages(data, name=name, texts=layers)
        total = sum(scanned)
        if total > _max_pages():
            raise _too_many_pages(name, total)
        images = pdf_pages(
            data, name=name, numbers=[number for number, scan in enumerate(scanned) if scan]
        )
    else:
        raise OcrError(_("“%(name)s” is not an image or a PDF.") % {"name": name})
    builder = _TextBuilder()
    pages, confidences = [], []
    if progress:
        progress(0, total)
    for number, (layer, scan) in enumerate(zip(layers, scanned, strict=True), 1):
        if not scan:
            if layer.strip():
                builder.add(("\n\n" if builder.length else "") + layer)
            continue
        png, width, height, dpi = next(images)
        words = _tesseract_words(binary, png, dpi=dpi, page=number)
        if builder.length and words:
            builder.add("\n\n")
        offsets = _page_text(builder, words)
        if layer.strip():
            # a scanned page's few characters of text layer (a page number, or text drawn
            # invisibly over the scan) are kept after what OCR read: nothing goes unscanned
            builder.add(("\n" if builder.length else "") + layer)
        confidences += [w["conf"] for w in words]
        pages.append(
            {
                "page": number,
                "width": width,
                "height": height,
                "dpi": dpi,
                "words": [[w["text"], *w["box"], round(w["conf"], 1)] for w in words],
                "offsets": offsets,
            }
        )
        if progress:
            progress(len(pages), total)
    text = safefile.check_text(builder.text(), name=name)
    confidence = round(statistics.fmean(confidences), 1) if confidences else 0.0
    return OcrResult(text=text, confidence=confidence, pages=pages)


# --- from the text back to the page ------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    page: int
    box: tuple[int, int, int, int]  # left, top, right, bottom in the page image's pixels


def locate(pages: list[dict], start: int, end: int) -> list[Region]:
    """The page regions of the words that the text span [start, end) touches: one region a page
    (the union of the words' boxes), so a finding can be shown on the scan."""
    regions = []
    for page in pages:
        boxes = [
            (x, y, x + w, y + h)
            for (text, x, y, w, h, _conf), offset in zip(
                page.get("words", []), page.get("offsets", []), strict=False
            )
            if offset < end and offset + len(text) > start
        ]
        if boxes:
            regions.append(
                Region(
                    page=page["page"],
                    box=(
                        min(b[0] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[2] for b in boxes),
                        max(b[3] for b in boxes),
                    ),
                )
            )
    return regions


@checks.register()
def check_ocr(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Scans wait for a person when OCR cannot run: say so when the server starts."""
    reason = unavailable_reason()
    if reason is None:
        return []
    return [
        checks.Warning(
            reason,
            hint="apt-get install tesseract-ocr tesseract-ocr-chi-sim (make installs them), or "
            "point GONGKAI_OCR_TESSERACT at the tesseract program.",
            id="gongkai.W001",
        )
    ]
