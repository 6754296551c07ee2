"""JSON: the import schema of the issue ({"format", "year", "agency", "cells", "narrative",
"findings"}), the cells in the format's order."""

from __future__ import annotations

import json

from gongkai.reports.importers.base import json_number

from . import ReportDocument


def as_dict(doc: ReportDocument, findings: list | None = None) -> dict:
    return {
        "format": doc.format.key,
        "year": doc.year,
        "agency": doc.agency_name,
        "cells": {key: json_number(doc.cells.get(key)) for key in doc.format.cell_keys()},
        "narrative": dict(doc.narrative),
        "findings": [f.as_dict() if hasattr(f, "as_dict") else f for f in findings or []],
    }


def render_json(doc: ReportDocument, findings: list | None = None) -> str:
    return json.dumps(as_dict(doc, findings), ensure_ascii=False, indent=2)
