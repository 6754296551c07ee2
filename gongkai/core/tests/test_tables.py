"""The generic table reader every app's import uses (gongkai.core.tables)."""

from datetime import date, datetime

import pytest

from gongkai.core.models import Agency
from gongkai.core.tables import (
    Heading,
    TableRow,
    cell_text,
    choice_map,
    parse_date,
    table_rows,
)

HEADINGS = (Heading("name", "名称", required=True), Heading("extra", "附加说明"))


class AgencyRow(TableRow):
    model = Agency
    known = HEADINGS


def test_a_column_is_named_as_the_file_wrote_it_then_by_the_model_then_by_its_heading():
    row = AgencyRow(2, {}, {"name": "单位名称"})
    assert row.heading("name") == "单位名称"
    assert row.heading("slug") == str(Agency._meta.get_field("slug").verbose_name)
    assert row.heading("extra") == "附加说明"  # no field of the model
    assert row.heading("nothing") == "nothing"
    assert TableRow(2, {}, {}).heading("slug") == "slug"


def test_rows_are_built_with_the_app_row_class():
    rows, found, errors = table_rows(
        "x.csv", "名称,附加说明\n六横镇,海岛\n".encode(), HEADINGS, AgencyRow
    )
    assert errors == [] and found == {"name": "名称", "extra": "附加说明"}
    assert [type(r) for r in rows] == [AgencyRow]
    assert rows[0].text("name") == "六横镇" and rows[0].number == 2


def test_a_missing_required_column_is_a_row_error_in_the_heading_row():
    rows, _found, errors = table_rows("x.csv", "附加说明\n海岛\n".encode(), HEADINGS)
    assert [(e.row, e.field) for e in errors] == [(1, "name")]


def test_choice_map_accepts_code_and_label_without_blanks():
    mapping = choice_map([("open", "主动 公开")])
    assert mapping == {"open": "open", "主动公开": "open"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12.0, "12"),
        (datetime(2026, 3, 1), "2026-03-01"),  # noqa: DTZ001 — openpyxl reads cells naive
        (date(2026, 3, 1), "2026-03-01"),
        ("\ufeff 文字 ", "文字"),
        (None, ""),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026年3月1日", date(2026, 3, 1)),
        ("2026/03/01 10:30", date(2026, 3, 1)),
        ("20260301", date(2026, 3, 1)),
        ("2026-02-30", None),
        ("三月一日", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected
