"""What the staff page's narrative editor needs to show the bound figures as tokens.

The stored form stays the ``{{cell:<cell key>}}`` markup of gongkai/reports/narrative.py: the
editor (gongkai/static/gongkai/narrative.js) reads the markup from the section's textarea, shows
each token as a non-editable element with the cell's figure, and writes the markup back into the
textarea on submit. Without JavaScript the textarea is the editor. The server validates what
comes back (services.report_narrative_set).

``figures`` gives, for every cell of the format, its key, a label a person reads ("表三 ·
一、本年新收政府信息公开申请数量 · 总计") and its figure as the rendered text quotes it.
"""

from __future__ import annotations

from .formats import Format
from .narrative import render_text, token


def table_name(table_key: str) -> str:
    """表三, 表二（一）; a table whose key names itself (统计表) as it is."""
    return table_key if table_key.endswith("表") else f"表{table_key}"


def cell_label(fmt: Format, cell_key: str, index: dict | None = None) -> str:
    """The cell's table, row and column, joined by · (``index``: the format's cell_index(),
    when the caller labels many cells)."""
    row, _column = (index or fmt.cell_index())[cell_key]
    parts = [part for part in cell_key.split("|") if part]
    return " · ".join([table_name(fmt.table_of(row.key).key), *parts])


def figures(fmt: Format, cells: dict) -> list[dict[str, str]]:
    """Every cell of the format in table order: {"key", "label", "value"}."""
    index = fmt.cell_index()
    return [
        {"key": key, "label": cell_label(fmt, key, index), "value": render_text(token(key), cells)}
        for key in index
    ]
