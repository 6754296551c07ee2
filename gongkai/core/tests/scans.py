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
