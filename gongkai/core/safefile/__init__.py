"""Opening files that come from outside (uploads, imports, the command line) without letting them
exhaust the server: the one way any app reads a ZIP-based document (DOCX, XLSX, a ZIP), a PDF or
an image.

- ZIP: the end-of-central-directory record is read first (member count and directory size, before
  `zipfile` builds an entry per member); then the declared sizes (each member, the total, the
  compression ratio); then every member is decompressed in chunks and the same limits are counted
  on what actually comes out, stopping at the first byte past a limit. A declared size is never
  trusted: `zipfile` stops a member at its declared size and fails its CRC if more follows.
- XLSX: the cells of the worksheets and the shared strings are counted while the archive is
  streamed, before openpyxl parses anything; rows are then read without the sheet's declared
  dimension (which openpyxl would pad every row to) and refused past the column limit.
- PDF: pypdf's own decompression limits are lowered to the member limit and the page count is
  limited; text extraction stops at the text limit.
- Images: the header's width × height is checked before any pixel is decoded; a TIFF's chain
  of directories is walked by hand first (every page's size, the page count, and that each page's
  data lies inside the file), since Pillow reads only the first page's header on opening.

Every refusal is a `FileRefused` whose text is the translated message for the person who sent
the file; nothing is stored by the callers when it is raised. The limits are settings (below,
with their reasons); tests lower them.
"""

from .archive import SafeZip, check_xlsx, check_zip, open_zip, xlsx_rows
from .base import (
    CHUNK,
    MB,
    FileRefused,
    Limits,
    check_text,
    damaged,
    limits,
    text_too_long,
)
from .image import TIFF_MAGIC, check_image, old_jpeg_stream, tiff_compression_refused, tiff_pages
from .pdf import open_pdf, pdf_limits, pdf_page_texts, pdf_text
from .readers import read_text, register_reader

__all__ = [
    "CHUNK",
    "MB",
    "TIFF_MAGIC",
    "FileRefused",
    "Limits",
    "SafeZip",
    "check_image",
    "check_text",
    "check_xlsx",
    "check_zip",
    "damaged",
    "limits",
    "old_jpeg_stream",
    "open_pdf",
    "open_zip",
    "pdf_limits",
    "pdf_page_texts",
    "pdf_text",
    "read_text",
    "register_reader",
    "text_too_long",
    "tiff_compression_refused",
    "tiff_pages",
    "xlsx_rows",
]
