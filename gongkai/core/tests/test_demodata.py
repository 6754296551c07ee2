"""The demo's data files and their loader (gongkai/core/demodata.py): every app's file parses
into its records, and a wrong file fails naming the file, the entry and the key."""

import importlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core import demodata
from gongkai.core.workdays import WorkCalendar
from gongkai.operations.models import Platform

APPS = ["applications", "catalogue", "engagement", "matters", "operations", "portal", "reports"]


@dataclass(frozen=True)
class Spec:
    name: str
    platform: str = field(metadata=demodata.choices(Platform))
    on: date
    amount: Decimal = Decimal(0)
    at: datetime | None = None
    tags: tuple[str, ...] = ()


def doc(data):
    return demodata.Document(data, "gongkai/x/demo_data/x.toml")


def test_every_app_data_file_is_packaged_and_parses():
    root = Path(demodata.__file__).parents[1]
    for app in APPS:
        files = sorted((root / app / "demo_data").glob("*.toml"))
        assert files, app
        # importing the demo module reads and validates its files
        importlib.import_module(f"gongkai.{app}.demo")
    pyproject = (root.parent / "pyproject.toml").read_text()
    assert '"*/demo_data/*.toml"' in pyproject


def test_records_convert_by_field_type():
    [spec] = demodata.records(
        doc(
            {
                "x": [
                    {
                        "name": "六横发布",
                        "platform": "WECHAT",
                        "on": date(2025, 3, 1),
                        "amount": "2.5",
                        "at": datetime.fromisoformat("2025-03-01T09:30"),  # TOML local time
                        "tags": ["a", "b"],
                    }
                ]
            }
        ),
        "x",
        Spec,
    )
    assert spec.platform == "wechat"  # a member's name gives its value
    assert spec.amount == Decimal("2.5")
    assert spec.at == datetime.fromisoformat("2025-03-01T09:30+08:00")  # Asia/Shanghai
    assert spec.tags == ("a", "b")
    [by_value] = demodata.records(
        doc({"x": [{"name": "n", "platform": "weibo", "on": date(2025, 1, 1)}]}), "x", Spec
    )
    assert (by_value.platform, by_value.at, by_value.tags) == ("weibo", None, ())


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"name": "甲", "platform": "WECHAT"}, "missing on"),
        (
            {"name": "甲", "platform": "WECHAT", "on": date(2025, 1, 1), "when": 1},
            "unknown key when",
        ),
        ({"name": "甲", "platform": "QQ", "on": date(2025, 1, 1)}, "'QQ' is not one of WEIBO"),
        ({"name": "甲", "platform": "WEIBO", "on": "2025-01-01"}, "on: expected a date"),
        ({"name": "甲", "platform": "WEIBO", "on": date(2025, 1, 1), "amount": "x"}, "amount"),
        ({"name": 3, "platform": "WEIBO", "on": date(2025, 1, 1)}, "name: expected a string"),
    ],
)
def test_a_wrong_entry_names_the_file_the_entry_and_the_key(entry, message):
    good = {"name": "乙", "platform": "WEIBO", "on": date(2025, 1, 1)}
    with pytest.raises(demodata.DemoDataError) as error:
        demodata.records(doc({"x": [good, entry]}), "x", Spec)
    text = str(error.value)
    assert text.startswith("gongkai/x/demo_data/x.toml: [[x]] #2"), text
    assert message in text


def test_a_missing_table_and_a_broken_file_are_named():
    with pytest.raises(demodata.DemoDataError, match=r"x\.toml: no \[\[y\]\] entries"):
        demodata.records(doc({}), "y", Spec)
    with pytest.raises(
        demodata.DemoDataError, match="gongkai/core/demo_data/nothing.toml: missing"
    ):
        demodata.read("gongkai.core", "nothing.toml")


def test_offsets_count_days_or_working_days():
    # 2025-03-10 made a holiday: a working day later than Friday the 7th is the 11th
    calendar = WorkCalendar.build(holidays=[date(2025, 3, 10)], workdays=[], complete_years=[2025])
    friday = date(2025, 3, 7)
    assert demodata.offset("-3 days", friday) == date(2025, 3, 4)
    assert demodata.offset("+1 workday", friday, calendar=calendar) == date(2025, 3, 11)
    assert demodata.offset("0 days", friday) == friday
    with pytest.raises(demodata.DemoDataError, match="'soon' is not an offset"):
        demodata.offset("soon", friday, where="f.toml: [[a]] #1")
