"""Scans for the OCR tests: a 处罚决定书 passage drawn in Noto Sans CJK, as a PNG and as an
image-only PDF (no text layer: only OCR can read it). The personal data is synthetic."""

from __future__ import annotations

import io
from pathlib import Path

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    """An 18-digit 公民身份号码 with its valid GB 11643 check digit."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


NAME = "郑飞涛"
ID_NUMBER = with_check_digit("33090219850612031")
MOBILE = "13857261394"
NOTICE_LINES = [
    "舟山市普陀区市场监督管理局",
    "行政处罚决定书",
    f"当事人：{NAME}，男",
    f"公民身份号码：{ID_NUMBER}",
    f"联系电话：{MOBILE}",
    "住址：浙江省舟山市普陀区六横镇峧头街88号",
    "经查，当事人于2026年3月销售过期食品。",
]


def notice_png(lines: list[str] = NOTICE_LINES, *, size: int = 36, noise: bool = False) -> bytes:
    """The passage as a grey PNG, black on white at about 12 pt at 200 dpi (a small image keeps
    OCR fast). `noise` scatters dots over it and blurs it: a scan OCR reads badly."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(str(FONT), size)
    line_height = int(size * 1.8)
    image = Image.new("L", (size * 26, line_height * len(lines) + size * 2), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((size, size + number * line_height), line, font=font, fill=0)
    if noise:
        import random

        rng = random.Random(14)  # noqa: S311 — test noise, not security
        for _ in range(image.width * image.height // 6):
            draw.point((rng.randrange(image.width), rng.randrange(image.height)), fill=0)
        image = image.filter(ImageFilter.GaussianBlur(2.2))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def image_pdf(*pngs: bytes, dpi: int = 200) -> bytes:
    """A PDF with one image a page, scanned at `dpi`, and no text layer, as a scanner writes it."""
    import pymupdf
    from PIL import Image

    document = pymupdf.open()
    for png in pngs:
        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
        page = document.new_page(width=width * 72 / dpi, height=height * 72 / dpi)
        page.insert_image(page.rect, stream=png)
    data = document.tobytes()
    document.close()
    return data


def text_pdf(text: str, pages: int = 1) -> bytes:
    """A PDF with a text layer (ASCII in Helvetica) on each page."""
    import pymupdf

    document = pymupdf.open()
    for _ in range(pages):
        page = document.new_page(width=595, height=842)
        page.insert_text((72, 72), text, fontsize=11)
    data = document.tobytes()
    document.close()
    return data


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (12, 12), 128).save(out, format="PNG")
    return out.getvalue()


def tiff(
    *pngs: bytes, dpi: int = 200, compression: str = "group4", tags: dict | None = None
) -> bytes:
    """A multi-page TIFF, a page a PNG, bilevel as a scanner or fax writes it; `tags` are TIFF
    tags by number (a description, an artist …) written into every page."""
    from PIL import Image, TiffImagePlugin

    pages = []
    for png in pngs:
        with Image.open(io.BytesIO(png)) as image:
            page = image.convert("1") if compression == "group4" else image.convert("L")
        pages.append(page)
    info = TiffImagePlugin.ImageFileDirectory_v2()
    for tag, value in (tags or {}).items():
        info[tag] = value
    out = io.BytesIO()
    pages[0].save(
        out,
        format="TIFF",
        save_all=True,
        append_images=pages[1:],
        compression=compression,
        dpi=(dpi, dpi),
        tiffinfo=info,
    )
    return out.getvalue()


def mixed_pdf(*pages: str | bytes, dpi: int = 200) -> bytes:
    """A PDF of text pages (a str: its text layer, ASCII in Helvetica) and scanned pages (PNG
    bytes: one image, no text layer) in the order given: a report with a scanned page inside."""
    import pymupdf
    from PIL import Image

    document = pymupdf.open()
    for content in pages:
        if isinstance(content, str):
            page = document.new_page(width=595, height=842)
            page.insert_text((72, 72), content, fontsize=11)
            continue
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
        page = document.new_page(width=width * 72 / dpi, height=height * 72 / dpi)
        page.insert_image(page.rect, stream=content)
    data = document.tobytes()
    document.close()
    return data
