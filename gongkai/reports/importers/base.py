"""What every importer produces: blocks in, an ``ImportedReport`` with its ``Finding``s out
(the walk that turns one into the other is walk.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

Number = int | Decimal


@dataclass(frozen=True)
class Finding:
    """One problem found in a report (import, lint). ``message`` is translated (English msgid)."""

    rule: str
    severity: str  # "error" | "warning" | "info"
    message: str
    expected: Number | str | None = None
    actual: Number | str | None = None
    location: str = ""

    def as_dict(self) -> dict:
        return {key: json_number(value) for key, value in asdict(self).items()}


@dataclass
class Block:
    cells: list[str]
    table: bool = False  # a row of a real table (HTML, DOCX, "a | b | c" text)
    line: int = 0  # where the block starts in the input (1-based line or paragraph; 0 unknown)
    blank: bool = False  # a blank cell printed as an empty line of its own (see text.py)


@dataclass
class ImportedReport:
    format: str
    year: int | None
    agency: str
    cells: dict[str, Number | None]
    narrative: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "year": self.year,
            "agency": self.agency,
            "cells": {key: json_number(value) for key, value in self.cells.items()},
            "narrative": dict(self.narrative),
            "findings": [f.as_dict() for f in self.findings],
        }


def json_number(value):
    """Decimals as JSON numbers: an int when integral, else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class ReportImportError(ValueError):
    """The input cannot be read as a report at all."""
