"""The development and evaluation sets of real published annual reports
(fixtures/real/, sources in fixtures/real/SOURCES.md) and their scoring.

Each report ``NAME.txt`` (or ``.html``) has a hand-checked ``NAME.json``:

    {"format": "2021", "subset": "dev" | "eval" | "dev2" | "eval2",
     "rows": {"<row key>": [value per column of the row, null = printed blank], ...}}

Only the rows printed in full in the stored text are listed (the stored page may stop in the
middle of a table). Row keys are the format's (``Row.key``: "规章", "一", "三（三）1", and
"复议诉讼" for 表四's one row of 15 columns). A cell is right when the importer gives exactly the
expected value (blank → None, never 0).

Subsets: "dev" and "eval" are the first sets (issue 15); "eval2" is a held-out batch collected
and hand-checked before the importer was run on it (its first figure is in bench/README.md), and
"dev2" the development batch collected after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.reports.formats import get

REAL = Path(__file__).parent / "fixtures" / "real"
SUBSETS = ("dev", "eval", "dev2", "eval2")


@dataclass
class Score:
    name: str
    subset: str
    right: int = 0
    total: int = 0
    wrong: list[tuple[str, object, object]] = field(default_factory=list)  # key, expected, got
    format_ok: bool = True


def expected_cells(spec: dict) -> dict[str, object]:
    fmt = get(spec["format"])
    cells: dict[str, object] = {}
    for row_key, values in spec["rows"].items():
        row = next(r for r in fmt.data_rows() if r.key == row_key)
        columns = fmt.table_of(row.key).row_columns(row)
        if len(values) != len(columns):
            raise ValueError(f"{row_key}: {len(values)} values for {len(columns)} columns")
        for column, value in zip(columns, values, strict=True):
            cells[fmt.cell_key(row, column)] = value
    return cells


def reports(subset: str | None = None) -> list[tuple[Path, dict]]:
    found = []
    for spec_path in sorted(REAL.glob("*.json")):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        if subset and spec["subset"] != subset:
            continue
        source = next(p for p in REAL.glob(spec_path.stem + ".*") if p.suffix != ".json")
        found.append((source, spec))
    return found


def _same(expected, got) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    return float(expected) == float(got)


def score(source: Path, spec: dict) -> Score:
    from gongkai.reports.importers import import_file

    result = import_file(source)
    cells = result.cells
    outcome = Score(source.stem, spec["subset"], format_ok=result.format == spec["format"])
    for key, value in expected_cells(spec).items():
        outcome.total += 1
        got = cells.get(key) if outcome.format_ok else "format " + result.format
        if outcome.format_ok and _same(value, got):
            outcome.right += 1
        else:
            outcome.wrong.append((key, value, got))
    return outcome
