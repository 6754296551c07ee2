"""Images checked before decoding: the header's pixels, a TIFF's pages walked by hand."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .base import FileRefused, damaged, limits

# classic TIFF, and BigTIFF (64-bit offsets: what scanners write past 4 GB, and some always)
TIFF_MAGIC = (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+")

# the size in bytes of each TIFF field type (TIFF 6.0, section 2; 13 is an IFD offset)
_TIFF_TYPE_SIZES = {
    1: 1,
    2: 1,
    3: 2,
    4: 4,
    5: 8,
    6: 1,
    7: 1,
    8: 2,
    9: 4,
    10: 8,
    11: 4,
    12: 8,
    13: 4,
    16: 8,  # BigTIFF: LONG8, SLONG8, IFD8
    17: 8,
    18: 8,
}
_TIFF_WIDTH, _TIFF_HEIGHT = 256, 257
# (offsets, byte counts) of a page's data: strips, tiles, and an old-style JPEG's stream
_TIFF_DATA = ((273, 279), (324, 325), (513, 514))
_TIFF_COMPRESSION = 259
_TIFF_OLD_JPEG = 6  # compression 6: the 1992 JPEG-in-TIFF, superseded by 7 in 1995


def _too_many_pixels(name: str, max_pixels: int) -> FileRefused:
    return FileRefused(
        _("“%(name)s” has more than %(max)d million pixels; reduce its size and upload it again.")
        % {"name": name, "max": max_pixels // 1_000_000},
        code="image_pixels",
    )


_TIFF_UNSIGNED = {1: "B", 3: "H", 4: "L", 13: "L", 16: "Q", 18: "Q"}


@dataclass(frozen=True)
class _TiffLayout:
    """Where a directory's parts are: classic TIFF (32-bit offsets) or BigTIFF (64-bit)."""

    count: str  # the number of entries
    entry: int  # the size of an entry
    head: str  # an entry's tag, type and value count
    offset: str  # an offset (and the inline value field's size)


_CLASSIC = _TiffLayout(count="H", entry=12, head="HHL", offset="L")
_BIG = _TiffLayout(count="Q", entry=20, head="HHQ", offset="Q")


def _tiff_values(data: bytes, order: str, entry: int, layout: _TiffLayout) -> list[int] | None:
    """The values of the IFD entry at `entry` when they are unsigned integers, else None;
    `_TiffTruncated` when they lie past the end of the file."""
    _tag, kind, count = struct.unpack_from(order + layout.head, data, entry)
    size = _TIFF_TYPE_SIZES.get(kind)
    if size is None:
        return None  # a private type: its length is unknown, and no reader needs it
    at = entry + struct.calcsize("<" + layout.head)
    if size * count > struct.calcsize("<" + layout.offset):
        at = struct.unpack_from(order + layout.offset, data, at)[0]
    if at + size * count > len(data):
        raise _TiffTruncated
    code = _TIFF_UNSIGNED.get(kind)
    if code is None:
        return None
    return list(struct.unpack_from(f"{order}{count}{code}", data, at))


# TIFF compression codes, named for the editor's message
_TIFF_COMPRESSION_NAMES = {
    2: "CCITT RLE",
    3: "CCITT G3",
    4: "CCITT G4",
    5: "LZW",
    6: "OJPEG",
    7: "JPEG",
    8: "Deflate",
    32773: "PackBits",
    32809: "ThunderScan",
    34661: "JBIG",
    34712: "JPEG 2000",
}


def _decodable_compression(code: int) -> bool:
    """Whether the image decoder knows the compression (Pillow raises KeyError otherwise)."""
    from PIL.TiffImagePlugin import COMPRESSION_INFO

    return code in COMPRESSION_INFO


def tiff_compression_refused(name: str, page: int, compression: int) -> FileRefused:
    """A TIFF page whose compression the reader cannot decode: refused in words, never read
    as an empty page."""
    label = _TIFF_COMPRESSION_NAMES.get(compression, str(compression))
    return FileRefused(
        _(
            "Page %(page)d of “%(name)s” uses a TIFF compression that cannot be read "
            "(%(compression)s); save the scan as a PDF or an ordinary TIFF and upload it again."
        )
        % {"name": name, "page": page, "compression": label},
        code="tiff_compression",
    )


class _TiffTruncated(Exception):
    pass


def tiff_pages(data: bytes, *, name: str) -> list[tuple[int, int]]:
    """(width, height) of every page of a TIFF or a BigTIFF, read from its directories without
    decoding a pixel. Refused: more pages than the frame limit, a page past the pixel limit, a
    directory chain that loops, a directory or a page's data that lies past the end of the file
    (a truncated file), and an old-style JPEG page without its JPEG stream (which nothing can
    decode)."""
    limits_ = limits()
    if len(data) < 8 or data[:4] not in TIFF_MAGIC:
        raise damaged(name)
    order = "<" if data[:2] == b"II" else ">"
    layout = _CLASSIC
    if data[2:4] in (b"+\0", b"\0+"):
        # BigTIFF: offset size 8, a zero, then the first directory's 64-bit offset
        if len(data) < 16 or struct.unpack_from(order + "HH", data, 4) != (8, 0):
            raise damaged(name)
        layout = _BIG
    offset = struct.unpack_from(order + layout.offset, data, 8 if layout is _BIG else 4)[0]
    count_size = struct.calcsize("<" + layout.count)
    offset_size = struct.calcsize("<" + layout.offset)
    pages: list[tuple[int, int]] = []
    seen: set[int] = set()
    while offset:
        if offset in seen or offset + count_size > len(data):
            raise damaged(name)
        seen.add(offset)
        if len(pages) >= limits_.image_frames:
            raise FileRefused(
                _("“%(name)s” has more than %(max)d pages; split it into several files.")
                % {"name": name, "max": limits_.image_frames},
                code="image_frames",
            )
        (entries,) = struct.unpack_from(order + layout.count, data, offset)
        end = offset + count_size + layout.entry * entries
        if end + offset_size > len(data):
            raise damaged(name)
        fields: dict[int, list[int] | None] = {}
        try:
            for entry in range(offset + count_size, end, layout.entry):
                (tag,) = struct.unpack_from(order + "H", data, entry)
                fields[tag] = _tiff_values(data, order, entry, layout)
        except _TiffTruncated:
            raise damaged(name) from None
        width = (fields.get(_TIFF_WIDTH) or [0])[0]
        height = (fields.get(_TIFF_HEIGHT) or [0])[0]
        if not width or not height:
            raise damaged(name)
        if width * height > limits_.image_pixels:
            raise _too_many_pixels(name, limits_.image_pixels)
        for offsets_tag, counts_tag in _TIFF_DATA:
            if offsets_tag not in fields and counts_tag not in fields:
                continue
            starts, counts = fields.get(offsets_tag), fields.get(counts_tag)
            if starts is None or counts is None or len(starts) != len(counts):
                raise damaged(name)
            if any(start + count > len(data) for start, count in zip(starts, counts, strict=True)):
                raise damaged(name)
        compression = (fields.get(_TIFF_COMPRESSION) or [1])[0]
        if not _decodable_compression(compression) or (
            compression == _TIFF_OLD_JPEG
            and not old_jpeg_stream(data, fields.get(513), fields.get(514))
        ):
            raise tiff_compression_refused(name, len(pages) + 1, compression)
        pages.append((width, height))
        (offset,) = struct.unpack_from(order + layout.offset, data, end)
    if not pages:
        raise damaged(name)
    return pages


def old_jpeg_stream(data: bytes, starts: list[int] | None, counts: list[int] | None) -> bytes:
    """The whole JPEG stream an old-style JPEG TIFF page points at (JPEGInterchangeFormat and
    its length), or b"" when it has none: such a page is the JPEG image itself."""
    if not starts or not counts:
        return b""
    stream = data[starts[0] : starts[0] + counts[0]]
    return stream if stream.startswith(b"\xff\xd8") and len(stream) == counts[0] else b""


def check_image(data: bytes, *, name: str) -> None:
    """Refuse an image whose header says more pixels than the limit, before any is decoded; a
    TIFF's every page, and its page count."""
    from PIL import Image, UnidentifiedImageError

    max_pixels = limits().image_pixels
    if data[:4] in TIFF_MAGIC:
        tiff_pages(data, name=name)
    width: int | None
    height: int | None
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        width = height = None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        if data[:4] in TIFF_MAGIC[2:]:
            # its directories were read above: a BigTIFF the image decoder cannot open (Pillow
            # opens little-endian ones only)
            raise FileRefused(
                _(
                    "“%(name)s” is a BigTIFF file that cannot be read; save the scan as a PDF or "
                    "an ordinary TIFF and upload it again."
                )
                % {"name": name},
                code="tiff_bigtiff",
            ) from None
        raise damaged(name) from None
    if width is None or height is None or width * height > max_pixels:
        raise _too_many_pixels(name, max_pixels)
