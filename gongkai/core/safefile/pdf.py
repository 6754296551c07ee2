"""PDF read within the limits: pypdf's decompression limits, the page count, the text."""

from __future__ import annotations

import io
from collections.abc import Collection
from contextlib import contextmanager

from django.utils.translation import gettext as _

from .base import FileRefused, damaged, limits, text_too_long


@contextmanager
def pdf_limits():
    """pypdf's decompression limits lowered to the archive member limit while inside."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # an older pypdf: its own defaults (75 MB a stream) apply
        yield
        return
    cap = limits().archive_member_bytes
    with apply_configuration(
        maximum_declared_stream_length=cap,
        array_based_stream_maximum_output_length=cap,
        jbig2_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        zlib_maximum_output_length=cap,
        image_maximum_buffer_size=cap,
    ):
        yield


def _pdf_limit_error(name: str) -> FileRefused:
    return FileRefused(
        _("“%(name)s” holds content that unpacks beyond the safe limits; it cannot be read safely.")
        % {"name": name},
        code="pdf_limit",
    )


def open_pdf(data: bytes, *, name: str):
    """A PdfReader of `data` within the page limit (use it inside `pdf_limits()`)."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
    except LimitReachedError:
        raise _pdf_limit_error(name) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise damaged(name) from None
    max_pages = limits().pdf_pages
    if pages > max_pages:
        raise FileRefused(
            _("“%(name)s” has more than %(max)d pages; split it into several files.")
            % {"name": name, "max": max_pages},
            code="pdf_pages",
        )
    return reader


def pdf_page_texts(data: bytes, *, name: str, only: Collection[int] | None = None) -> list[str]:
    """The text layer of each page (of the pages numbered `only`, from 0; '' for the others),
    within the limits (LimitReachedError → FileRefused)."""
    from pypdf.errors import LimitReachedError

    cap = limits().text_chars
    with pdf_limits():
        reader = open_pdf(data, name=name)
        texts, length = [], 0
        try:
            for number, page in enumerate(reader.pages):
                wanted = only is None or number in only
                text = (page.extract_text() or "") if wanted else ""
                length += len(text) + 1
                if length > cap:
                    raise text_too_long(name)
                texts.append(text)
        except LimitReachedError:
            raise _pdf_limit_error(name) from None
    return texts


def pdf_text(data: bytes, *, name: str) -> str:
    """The text layer of every page, a line between pages, within the limits."""
    return "\n".join(pdf_page_texts(data, name=name))
