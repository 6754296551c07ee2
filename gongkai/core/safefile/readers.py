"""Text readers by kind of document, registered by the apps that own them (core imports no app):
core's own commands (`gongkai workdays notice 通知.docx`) read a document through here.

A reader is `reader(data, *, name) -> str`: '' when the content is not of its kind or the file is
damaged, FileRefused past the safe reader's limits."""

from __future__ import annotations

from collections.abc import Callable

Reader = Callable[..., str]
_READERS: dict[str, Reader] = {}


def register_reader(kind: str, reader: Reader) -> None:
    """Declare the reader of `kind` ("docx"); a second declaration replaces the first."""
    _READERS[kind] = reader


def read_text(kind: str, data: bytes, *, name: str) -> str:
    """The text of the file by the reader registered for `kind` (LookupError when none is)."""
    try:
        reader = _READERS[kind]
    except KeyError:
        raise LookupError(f"no reader is registered for {kind!r} documents") from None
    return reader(data, name=name)
