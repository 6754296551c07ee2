"""Annual-report formats as data: ``from gongkai.reports.formats import get, FORMATS``."""

from .base import Check, CheckFailure, Column, Format, Row, Section, Table, normalize
from .registry import FORMATS, KEYS, detect, for_year, get

__all__ = [
    "FORMATS",
    "KEYS",
    "Check",
    "CheckFailure",
    "Column",
    "Format",
    "Row",
    "Section",
    "Table",
    "detect",
    "for_year",
    "get",
    "normalize",
]
