"""Post counts from CSV/XLSX: all or nothing, with an error per bad row."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.core.models import AuditEvent
from gongkai.operations import imports, selectors, services
from gongkai.operations.models import Platform, PostCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(town):
    make = lambda platform, name: services.account_create(  # noqa: E731
        actor=None, agency=town, platform=platform, name=name, opened_on=date(2015, 1, 1)
    )
    return {
        "wb": make(Platform.WEIBO, "六横发布"),
        "wx": make(Platform.WECHAT, "六横发布"),
        "dj": make(Platform.WECHAT, "六横党建"),
    }


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


GOOD = csv_bytes(
    "平台,账号名称,开始日期,结束日期,发布数",
    "微博,六横发布,2025-01-01,2025-03-31,31",
    "微信,六横发布,2025/01/01,2025/03/31,45",
    ",六横党建,2025年1月1日,2025年3月31日,12",
)


def test_a_good_file_is_recorded(town, people, accounts):
    records = imports.post_counts_import(
        actor=people.officer, agency=town, file_name="posts.csv", data=GOOD
    )
    assert len(records) == 3
    assert {r.source for r in records} == {PostCount.Source.IMPORTED}
    assert selectors.posts(town, 2025, Platform.WECHAT) == 57
    assert selectors.posts(town, 2025, Platform.WEIBO) == 31
    [event] = AuditEvent.objects.filter(verb="post_count.import")
    assert event.after["rows"] == 3


def test_bad_rows_reject_the_whole_file(town, people, accounts):
    services.post_count_record(
        actor=None,
        account=accounts["dj"],
        period_start=date(2025, 4, 1),
        period_end=date(2025, 6, 30),
        count=3,
    )
    data = csv_bytes(
        "平台,账号名称,开始日期,结束日期,发布数",
        "微博,六横发布,2025-01-01,2025-03-31,31",  # good
        "微博,不存在,2025-01-01,2025-03-31,5",  # row 3: unknown account
        ",六横发布,2025-01-01,2025-03-31,5",  # row 4: ambiguous name
        "微信,六横发布,2025-02-30,2025-03-31,5",  # row 5: bad date
        "微信,六横发布,2025-01-01,2025-03-31,-2",  # row 6: bad count
        "微信,六横党建,2025-05-01,2025-05-31,4",  # row 7: overlaps a recorded period
        "微博,六横发布,2025-03-01,2025-04-30,9",  # row 8: overlaps row 2
        "微信,六横发布,2025-12-01,2026-01-31,9",  # row 9: crosses the year
        "抖音号,六横发布,2025-01-01,2025-03-31,1",  # row 10: unknown platform
    )
    with pytest.raises(imports.ImportRejected) as excinfo:
        imports.post_counts_import(actor=people.officer, agency=town, file_name="p.csv", data=data)
    rows = sorted({e.row for e in excinfo.value.row_errors})
    assert rows == [3, 4, 5, 6, 7, 8, 9, 10]
    messages = " ".join(e.message for e in excinfo.value.row_errors)
    assert "Row 3" in messages or "第3行" in messages
    assert PostCount.objects.count() == 1  # only the one recorded before
    assert not AuditEvent.objects.filter(verb="post_count.import").exists()


def test_missing_heading_and_empty_file(town, people, accounts):
    preview = imports.post_counts_preview(
        actor=people.officer, agency=town, file_name="p.csv", data=csv_bytes("账号名称,发布数")
    )
    assert {e.field for e in preview.errors} >= {"period_start", "period_end"}
    preview = imports.post_counts_preview(
        actor=people.officer, agency=town, file_name="p.csv", data=b""
    )
    assert preview.errors and preview.errors[0].row is None


def test_xlsx_is_read(town, people, accounts):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["平台", "账号名称", "开始日期", "结束日期", "发布数"])
    sheet.append(["微博", "六横发布", date(2025, 4, 1), date(2025, 6, 30), 28])
    out = io.BytesIO()
    workbook.save(out)
    records = imports.post_counts_import(
        actor=people.officer, agency=town, file_name="p.xlsx", data=out.getvalue()
    )
    assert [r.count for r in records] == [28]


def test_import_needs_the_office(town, people, accounts):
    with pytest.raises(PermissionDenied):
        imports.post_counts_import(actor=people.editor, agency=town, file_name="p.csv", data=GOOD)
    with pytest.raises(PermissionDenied):
        imports.post_counts_import(actor=people.outsider, agency=town, file_name="p.csv", data=GOOD)
