"""Imports of items and external publications (CSV/XLSX), and the `catalogue` command."""

import csv
import io
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook

from gongkai.catalogue import imports, services
from gongkai.catalogue.models import Item, ItemStatus, Publication
from gongkai.catalogue.taxonomy import ChannelKind, ColumnType, Genre
from gongkai.core import tables
from gongkai.core.models import AuditEvent, Role

HEADINGS = [
    "栏目",
    "标题",
    "成文日期",
    "体裁",
    "文号",
    "发布机构",
    "主题分类",
    "有效性",
    "内容概述",
    "正文",
]
CHECKS = services.ReviewChecks(secrecy=True, privacy=True, wording=True)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_bytes(rows, *, encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(**values):
    """A data row in HEADINGS order; unspecified cells are the good defaults."""
    base = {
        "栏目": "政府信息公开/政策文件",
        "标题": "关于印发六横镇防汛防台应急预案的通知",
        "成文日期": "2026-03-02",
        "体裁": "行政规范性文件",
        "文号": "六政发〔2026〕5号",
        "发布机构": "",
        "主题分类": "",
        "有效性": "",
        "内容概述": "",
        "正文": "",
    }
    base.update(values)
    return [base[h] for h in HEADINGS]


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def editor(make_member, town):
    return make_member(town, Role.EDITOR, "lh_editor")


@pytest.fixture
def reviewer(make_member, town):
    return make_member(town, Role.REVIEWER, "lh_reviewer")


@pytest.fixture
def columns(town, agency_tree):
    def column(name, parent=None, agency=town):
        return services.column_create(
            actor=None, agency=agency, name=name, column_type=ColumnType.OTHER, parent=parent
        )

    root = column("政府信息公开")
    news = column("新闻动态")
    old = column("旧栏目")
    services.column_update(actor=None, column=old, data={"is_active": False})
    return {
        "root": root,
        "policy": column("政策文件", root),
        "notice": column("通知公告"),
        # two columns called 其他: a bare name is ambiguous
        "other_a": column("其他", root),
        "other_b": column("其他", news),
        "old": old,
        "elsewhere": column("桃花镇栏目", agency=agency_tree["other_town"]),
    }


def import_items(actor, agency, data, name="items.csv", **kwargs):
    return imports.items_import(actor=actor, agency=agency, file_name=name, data=data, **kwargs)


def preview_errors(actor, agency, rows):
    preview = imports.items_preview(
        actor=actor, agency=agency, file_name="items.csv", data=csv_bytes(rows)
    )
    return [e.message for e in preview.errors]


# --- items: the good path ----------------------------------------------------------------


def test_good_file_creates_drafts_with_mapped_values(editor, town, columns):
    data = csv_bytes(
        [
            [*HEADINGS, "失效日期"],
            row(正文="第一条 总则\n第二条 适用范围", 内容概述="预案全文") + [""],
            row(
                栏目="通知公告",
                标题="关于2026年春节放假安排的通知",
                成文日期="2026年1月5日",
                体裁="公告公示",
                文号="",
                发布机构="六横镇党政综合办公室",
                主题分类="劳动、人事、监察",
                有效性="失效",
            )
            + ["2026/2/28"],
        ]
    )
    items = import_items(editor, town, data)
    assert len(items) == 2
    first, second = (Item.objects.get(pk=item.pk) for item in items)
    assert first.status == ItemStatus.DRAFT and first.created_by == editor
    assert first.column == columns["policy"]
    assert first.genre == Genre.NORMATIVE
    assert first.formed_on == date(2026, 3, 2)
    assert first.document_number == "六政发〔2026〕5号"
    assert first.publisher == "六横镇人民政府"  # the service's default
    assert first.topic == "综合政务" and first.validity == "valid"
    assert first.body == "<p>第一条 总则</p><p>第二条 适用范围</p>"
    assert first.summary == "预案全文"
    assert second.column == columns["notice"]
    assert second.formed_on == date(2026, 1, 5)
    assert second.genre == Genre.NOTICE
    assert second.publisher == "六横镇党政综合办公室"
    assert second.topic == "劳动、人事、监察"
    assert (second.validity, second.invalid_on) == ("expired", date(2026, 2, 28))


def test_import_is_audited_once_plus_each_item(editor, town, columns):
    data = csv_bytes([HEADINGS, row(), row(标题="第二条信息")])
    items = import_items(editor, town, data, name="2026年目录.csv")
    summary = AuditEvent.objects.get(verb="item.import")
    assert summary.actor == editor and summary.agency == town
    assert summary.object_repr == "2026年目录.csv"
    assert summary.after["rows"] == 2
    assert summary.after["items"] == [item.pk for item in items]
    assert len(summary.after["sha256"]) == 64
    creates = AuditEvent.objects.filter(verb="item.create", actor=editor)
    assert sorted(int(e.object_id) for e in creates) == sorted(item.pk for item in items)


def test_english_headings_and_codes_are_accepted(editor, town, columns):
    data = csv_bytes(
        [
            ["column", "title", "formed_on", "genre", "validity"],
            ["通知公告", "英文表头", "2026-03-02", "work_news", "valid"],
        ]
    )
    (item,) = import_items(editor, town, data)
    assert (item.column, item.genre) == (columns["notice"], Genre.WORK_NEWS)


def test_headings_may_carry_markers_and_aliases(editor, town, columns):
    data = csv_bytes(
        [
            ["栏目*", "名称（必填）", " 成文日期 ", "体裁", "发文字号"],
            ["通知公告", "别名表头", "20260302", "其他", "x"],
        ]
    )
    (item,) = import_items(editor, town, data)
    assert (item.title, item.formed_on, item.document_number) == ("别名表头", date(2026, 3, 2), "x")


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gb18030", False)]
)
def test_csv_encodings(editor, town, columns, encoding, bom):
    data = csv_bytes([HEADINGS, row(标题="舟山市普陀区六横镇𠀀字测试")], encoding=encoding, bom=bom)
    (item,) = import_items(editor, town, data)
    assert item.title == "舟山市普陀区六横镇𠀀字测试"
    assert item.column == columns["policy"]


def test_tab_separated_text_is_read(editor, town, columns):
    data = "\t".join(HEADINGS[:4]).encode() + b"\n" + "\t".join(row()[:4]).encode()
    (item,) = import_items(editor, town, data, name="items.txt")
    assert item.genre == Genre.NORMATIVE


def test_xlsx_with_real_dates_and_blank_rows(editor, town, columns):
    data = xlsx_bytes(
        [
            HEADINGS,
            row(成文日期=datetime(2026, 3, 2)),  # noqa: DTZ001 - Excel has no time zones
            [None] * len(HEADINGS),  # blank rows are skipped
            row(标题="第二条", 成文日期=date(2026, 3, 3), 文号=None),
        ]
    )
    items = import_items(editor, town, data, name="items.xlsx")
    assert [i.formed_on for i in items] == [date(2026, 3, 2), date(2026, 3, 3)]
    assert items[1].document_number == ""


def test_xlsx_row_numbers_count_blank_rows(editor, town, columns):
    data = xlsx_bytes([HEADINGS, row(), [None] * len(HEADINGS), row(成文日期="2026-13-01")])
    with pytest.raises(imports.ImportRejected) as refused:
        import_items(editor, town, data, name="items.xlsx")
    assert [e.row for e in refused.value.row_errors] == [4]


def test_progress_is_reported(editor, town, columns):
    calls = []
    import_items(
        editor,
        town,
        csv_bytes([HEADINGS, row(), row(标题="二")]),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 2), (2, 2)]


def test_preview_checks_everything_and_writes_nothing(editor, town, columns):
    events = AuditEvent.objects.count()
    preview = imports.items_preview(
        actor=editor,
        agency=town,
        file_name="items.csv",
        data=csv_bytes([HEADINGS, row(), row(标题="二")]),
    )
    assert preview.ok
    assert [r.row for r in preview.rows] == [2, 3]
    assert preview.rows[0].values["column"] == columns["policy"]
    assert not Item.objects.exists()
    assert AuditEvent.objects.count() == events


# --- items: errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"成文日期": "2026-13-01"}, "Row 2: 成文日期 “2026-13-01” is not a valid date."),
        ({"成文日期": "下周一"}, "Row 2: 成文日期 “下周一” is not a valid date."),
        ({"成文日期": ""}, "Row 2: 成文日期 must not be empty."),
        ({"标题": ""}, "Row 2: 标题 must not be empty."),
        ({"栏目": ""}, "Row 2: 栏目 must not be empty."),
        ({"体裁": ""}, "Row 2: 体裁 must not be empty."),
        ({"体裁": "通知"}, "Row 2: 体裁 “通知” is not one of: 规章、行政规范性文件、"),
        ({"有效性": "长期"}, "Row 2: 有效性 “长期” is not one of: 有效、失效、废止."),
        ({"主题分类": "政务公开"}, "Row 2: 主题分类 “政务公开” is not one of: 综合政务、"),
        ({"栏目": "不存在的栏目"}, "Row 2: 栏目 “不存在的栏目” does not exist."),
        ({"栏目": "桃花镇栏目"}, "Row 2: 栏目 “桃花镇栏目” does not exist."),
        ({"栏目": "政府信息公开/不存在"}, "Row 2: 栏目 “政府信息公开/不存在” does not exist."),
        (
            {"栏目": "其他"},
            "Row 2: 栏目 “其他” is ambiguous: give its path, such as “政府信息公开/其他”.",
        ),
        ({"栏目": "旧栏目"}, "Row 2: 栏目 “旧栏目” is no longer in use."),
        ({"标题": "长" * 301}, "Row 2: 标题 is too long: 301 characters, at most 300."),
        ({"文号": "号" * 101}, "Row 2: 文号 is too long: 101 characters, at most 100."),
        # a rule of the service, not of the file: a town cannot issue 规章
        ({"体裁": "规章"}, "Row 2: 体裁: A township or subdistrict cannot issue 规章."),
        # the service's rule for 失效/废止, named by the model field when the file lacks it
        ({"有效性": "废止"}, "Row 2: expired or repealed on: Give the date the document expired"),
    ],
)
def test_row_errors(editor, town, columns, cells, message):
    errors = preview_errors(editor, town, [HEADINGS, row(**cells)])
    assert len(errors) == 1, errors
    assert errors[0].startswith(message), errors[0]


def test_dates_in_the_future_are_refused(editor, town, columns):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    errors = preview_errors(editor, town, [HEADINGS, row(成文日期=tomorrow)])
    assert errors == [f"Row 2: 成文日期 “{tomorrow}” is in the future."]


def test_the_alternative_column_paths(editor, town, columns):
    for value in (
        "政府信息公开 / 其他",
        "政府信息公开／其他",
        "政府信息公开\\其他",
        "新闻动态>其他",
    ):
        assert preview_errors(editor, town, [HEADINGS, row(栏目=value)]) == [], value


def test_every_bad_row_is_reported_at_once(editor, town, columns):
    errors = preview_errors(
        editor,
        town,
        [HEADINGS, row(成文日期="2026-02-30"), row(标题="好的"), row(体裁="小说", 栏目="无")],
    )
    assert errors == [
        "Row 2: 成文日期 “2026-02-30” is not a valid date.",
        "Row 4: 体裁 “小说” is not one of: " + "、".join(Genre.labels) + ".",
        "Row 4: 栏目 “无” does not exist.",
    ]


def test_duplicate_rows_and_existing_items(editor, town, columns):
    import_items(editor, town, csv_bytes([HEADINGS, row(标题="已导入")]))
    existing = Item.objects.get(title="已导入")
    errors = preview_errors(
        editor, town, [HEADINGS, row(), row(), row(标题="已导入"), row(文号="另一个文号")]
    )
    assert errors == [
        "Row 3: This row repeats row 2.",
        "Row 4: The catalogue already has an item with this title, date of formation and "
        f"document number (item {existing.pk}).",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\n \n", "The file is empty."),
        (csv_bytes([HEADINGS]), "The file has headings but no rows to import."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Files in the old Excel format"),
        (b"PK\x03\x04broken", "The Excel file cannot be read"),
        (b"\xff\xfa\xfb,\xfe\xff", "The file is neither UTF-8 nor GB18030 text."),
        (
            csv_bytes([["栏目", "标题", "成文日期", "体裁", "发文时间"], row()[:5]]),
            "Row 1: The heading “发文时间” is unknown. The headings are: 栏目、标题、",
        ),
        (
            csv_bytes([["栏目", "标题", "体裁"], row()[:3]]),
            "Row 1: The column 成文日期 is missing.",
        ),
        (
            csv_bytes([["栏目", "标题", "成文日期", "体裁", "title"], row()[:5]]),
            "Row 1: The column 标题 appears twice.",
        ),
    ],
)
def test_file_errors(editor, town, columns, data, message):
    preview = imports.items_preview(actor=editor, agency=town, file_name="x.csv", data=data)
    assert len(preview.errors) == 1, preview.errors
    assert preview.errors[0].message.startswith(message), preview.errors[0].message
    assert preview.rows == []


def test_too_many_rows(editor, town, columns, monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 2)  # the reader's limit
    errors = preview_errors(editor, town, [HEADINGS, row(), row(标题="二"), row(标题="三")])
    assert errors == ["The file has more than 2 rows; split it into several files."]


def test_one_bad_row_writes_nothing(editor, town, columns):
    events = AuditEvent.objects.count()
    data = csv_bytes([HEADINGS, row(), row(标题="二"), row(标题="三", 成文日期="2026-13-01")])
    with pytest.raises(imports.ImportRejected) as refused:
        import_items(editor, town, data)
    assert isinstance(refused.value, ValidationError)
    assert refused.value.messages == ["Row 4: 成文日期 “2026-13-01” is not a valid date."]
    assert not Item.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_failure_while_writing_rolls_back_the_rows_already_written(
    editor, town, columns, monkeypatch
):
    """The preview passed, then the service refused row 3 (the catalogue changed meanwhile)."""
    real_create = services.item_create
    calls = []

    def flaky_create(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 2:
            raise ValidationError({"column": "The column belongs to another agency."})
        return real_create(**kwargs)

    monkeypatch.setattr(services, "item_create", flaky_create)
    data = csv_bytes([HEADINGS, row(), row(标题="二")])
    with pytest.raises(imports.ImportRejected) as refused:
        import_items(editor, town, data)
    assert calls == [row()[1], "二"]
    assert refused.value.messages == ["Row 3: 栏目: The column belongs to another agency."]
    assert not Item.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=["item.create", "item.import"]).exists()


def test_only_authors_may_import(reviewer, make_member, town, agency_tree, columns):
    data = csv_bytes([HEADINGS, row()])
    with pytest.raises(PermissionDenied):
        import_items(reviewer, town, data)
    outsider = make_member(agency_tree["other_town"], Role.EDITOR, "th_editor")
    with pytest.raises(PermissionDenied):
        imports.items_preview(actor=outsider, agency=town, file_name="x.csv", data=data)
    assert not Item.objects.exists()


# --- publications ------------------------------------------------------------------------


@pytest.fixture
def channel(town):
    return services.channel_create(
        actor=None, agency=town, kind=ChannelKind.WEIBO, name="六横发布", account="liuheng"
    )


@pytest.fixture
def make_item(editor, reviewer, columns, town):
    def make(title, *, publish=True):
        item = services.item_create(
            actor=editor,
            agency=town,
            column=columns["notice"],
            title=title,
            formed_on=date(2026, 3, 2),
            genre=Genre.NOTICE,
        )
        if publish:
            item = services.item_submit(actor=editor, item=item)
            item = services.item_approve(actor=reviewer, item=item, checks=CHECKS, publish_now=True)
        return item

    return make


PUB_HEADINGS = ["索引号", "标题", "发布日期", "链接"]


def import_publications(actor, channel, rows, **kwargs):
    return imports.publications_import(
        actor=actor, channel=channel, file_name="weibo.csv", data=csv_bytes(rows), **kwargs
    )


def test_publications_by_index_number_and_by_title(editor, channel, make_item):
    first, second = make_item("春季防火通告"), make_item("夏季防汛通告")
    publications = import_publications(
        editor,
        channel,
        [
            PUB_HEADINGS,
            [first.index_number, "", "2026-03-05", "https://weibo.com/liuheng/1"],
            ["", "夏季防汛通告", "2026/3/6", ""],
        ],
    )
    assert [(p.item, p.published_on, p.url, p.source) for p in publications] == [
        (first, date(2026, 3, 5), "https://weibo.com/liuheng/1", Publication.Source.IMPORTED),
        (second, date(2026, 3, 6), "", Publication.Source.IMPORTED),
    ]
    assert all(p.channel == channel for p in publications)
    summary = AuditEvent.objects.get(verb="publication.import")
    assert summary.actor == editor
    assert summary.after["recorded"] == [p.pk for p in publications]
    assert AuditEvent.objects.filter(verb="publication.record", actor=editor).count() == 2


def test_publications_from_xlsx(editor, channel, make_item):
    item = make_item("春季防火通告")
    posted = datetime(2026, 3, 5, 9, 30)  # noqa: DTZ001 - Excel has no time zones
    data = xlsx_bytes([["索引号", "发布日期"], [item.index_number, posted]])
    (publication,) = imports.publications_import(
        actor=editor, channel=channel, file_name="weibo.xlsx", data=data
    )
    assert publication.published_on == date(2026, 3, 5)


def test_publication_errors(editor, channel, make_item, agency_tree):
    published = make_item("春季防火通告")
    draft = make_item("草稿通告", publish=False)
    make_item("同名通告")
    make_item("同名通告")
    preview = imports.publications_preview(
        actor=editor,
        channel=channel,
        file_name="weibo.csv",
        data=csv_bytes(
            [
                PUB_HEADINGS,
                [published.index_number, "", "2026-03-05", ""],
                ["11330903000000000X/2026-99999", "", "2026-03-05", ""],
                ["", "草稿通告", "2026-03-05", ""],
                ["", "没有这条", "2026-03-05", ""],
                ["", "同名通告", "2026-03-05", ""],
                [published.index_number, "", "2026-03-06", ""],
                ["", "", "2026-03-05", ""],
                [published.index_number, "", "3月5日", "weibo.com/1"],
            ]
        ),
    )
    assert [e.message for e in preview.errors] == [
        "Row 3: No item has the 索引号 “11330903000000000X/2026-99999”.",
        f"Row 4: “草稿通告” is not published (it is “{draft.get_status_display()}”).",
        "Row 5: No item has the 标题 “没有这条”.",
        "Row 6: Several items have the 标题 “同名通告”: give the 索引号 instead.",
        "Row 7: This row repeats row 2 (the same item).",
        "Row 8: Give the 索引号 or the 标题 of the item.",
        "Row 9: 发布日期 “3月5日” is not a valid date.",
        "Row 9: 链接 “weibo.com/1” is not a valid web address.",
        "Row 9: This row repeats row 2 (the same item).",
    ]


def test_publication_file_needs_an_item_column(editor, channel):
    preview = imports.publications_preview(
        actor=editor,
        channel=channel,
        file_name="weibo.csv",
        data=csv_bytes([["发布日期", "链接"], ["2026-03-05", ""]]),
    )
    assert [e.message for e in preview.errors] == ["Row 1: The file needs a column 索引号 or 标题."]


def test_another_agencys_item_is_unknown(editor, channel, make_member, agency_tree):
    other = agency_tree["other_town"]
    theirs = services.column_create(
        actor=None, agency=other, name="通知", column_type=ColumnType.NOTICE
    )
    their_editor = make_member(other, Role.EDITOR, "th_editor")
    services.item_create(
        actor=their_editor,
        agency=other,
        column=theirs,
        title="桃花镇通告",
        formed_on=date(2026, 3, 2),
        genre=Genre.NOTICE,
    )
    preview = imports.publications_preview(
        actor=editor,
        channel=channel,
        file_name="weibo.csv",
        data=csv_bytes([["标题", "发布日期"], ["桃花镇通告", "2026-03-05"]]),
    )
    assert [e.message for e in preview.errors] == ["Row 2: No item has the 标题 “桃花镇通告”."]


def test_one_bad_publication_row_writes_nothing(editor, channel, make_item):
    item = make_item("春季防火通告")
    with pytest.raises(imports.ImportRejected):
        import_publications(
            editor,
            channel,
            [PUB_HEADINGS, [item.index_number, "", "2026-03-05", ""], ["x", "", "2026-03-05", ""]],
        )
    assert not Publication.objects.filter(channel=channel).exists()
    assert not AuditEvent.objects.filter(verb__startswith="publication.").exists()


def test_a_growing_export_can_be_imported_again(editor, channel, make_item):
    first, second = make_item("一"), make_item("二")
    import_publications(editor, channel, [PUB_HEADINGS, [first.index_number, "", "2026-03-05", ""]])
    again = import_publications(
        editor,
        channel,
        [
            PUB_HEADINGS,
            [first.index_number, "", "2026-03-05", ""],
            [second.index_number, "", "2026-03-07", ""],
        ],
    )
    assert [p.item for p in again] == [second]
    assert Publication.objects.filter(channel=channel).count() == 2
    assert AuditEvent.objects.filter(verb="publication.record").count() == 2
    assert (
        AuditEvent.objects.filter(verb="publication.import").first().after["already_recorded"] == 1
    )


def test_the_website_channel_is_not_imported_into(editor, town, make_item):
    make_item("一")
    website = services.website_channel(town)
    with pytest.raises(ValidationError, match="website"):
        import_publications(editor, website, [PUB_HEADINGS, ["", "一", "2026-03-05", ""]])


def test_publications_need_a_recording_role(make_member, channel, agency_tree):
    supervisor = make_member(agency_tree["district"], Role.SUPERVISOR, "pt_supervisor")
    with pytest.raises(PermissionDenied):
        import_publications(supervisor, channel, [PUB_HEADINGS, ["", "一", "2026-03-05", ""]])


# --- the command -------------------------------------------------------------------------


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("catalogue", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def items_file(tmp_path):
    def write(rows, name="items.csv"):
        path = tmp_path / name
        path.write_bytes(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows))
        return str(path)

    return write


def test_command_imports_items(editor, town, columns, items_file):
    path = items_file([HEADINGS, row(), row(标题="二")], "items.xlsx")
    out, _err = command("import-items", "--agency", "liuheng", "--user", "lh_editor", path)
    assert "2 items were created as drafts in 六横镇人民政府." in out
    assert Item.objects.filter(agency=town, status=ItemStatus.DRAFT).count() == 2
    assert AuditEvent.objects.get(verb="item.import").object_repr == "items.xlsx"


def test_command_dry_run_writes_nothing(editor, town, columns, items_file):
    path = items_file([HEADINGS, row(), row(标题="二")])
    args = ("import-items", "--agency", "liuheng", "--user", "lh_editor", "--dry-run", path)
    out, _err = command(*args)
    assert "2 rows can be imported; nothing was written (dry run)." in out
    assert not Item.objects.exists()


def test_command_lists_errors_and_fails(editor, town, columns, items_file):
    path = items_file([HEADINGS, row(), row(成文日期="2026-13-01"), row(体裁="小说")])
    with pytest.raises(CommandError, match="Nothing was imported: the file has 2 errors."):
        command("import-items", "--agency", "liuheng", "--user", "lh_editor", path)
    assert not Item.objects.exists()
    # the errors table went to stderr
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "catalogue", "import-items", "--agency", "liuheng", "--user", "lh_editor",
            "--dry-run", path, stdout=StringIO(), stderr=err,
        )  # fmt: skip
    table = err.getvalue()
    assert "“2026-13-01” is not a valid date." in table
    assert "“小说” is not one of" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--agency", "nowhere", "--user", "lh_editor"), "No agency has the URL name “nowhere”."),
        (("--agency", "liuheng", "--user", "nobody"), "No user is called “nobody”."),
        (("--agency", "liuheng", "--user", "lh_reviewer"), "lh_reviewer: You do not have"),
    ],
)
def test_command_refuses_bad_arguments(editor, reviewer, columns, items_file, args, message):
    path = items_file([HEADINGS, row()])
    with pytest.raises(CommandError, match=message):
        command("import-items", *args, path)
    assert not Item.objects.exists()


def test_command_refuses_a_missing_file(editor, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        command("import-items", "--agency", "liuheng", "--user", "lh_editor", str(tmp_path / "x"))


def test_command_imports_publications(editor, channel, make_item, items_file, agency_tree):
    item = make_item("春季防火通告")
    path = items_file([["索引号", "发布日期"], [item.index_number, "2026-03-05"]])
    base = ("import-publications", "--agency", "liuheng", "--user", "lh_editor")
    out, _ = command(*base, "--channel", str(channel.pk), "--dry-run", path)
    assert "1 row can be recorded; nothing was written (dry run)." in out
    assert not Publication.objects.filter(channel=channel).exists()
    out, _ = command(*base, "--channel", str(channel.pk), path)
    assert "1 publication was recorded on 政务微博·六横发布." in out
    assert "already recorded" not in out
    out, _ = command(*base, "--channel", str(channel.pk), path)
    assert "0 publications were recorded" in out
    assert "1 row is already recorded on the channel and is skipped." in out
    assert Publication.objects.get(channel=channel).item == item
    # another agency's channel id is refused
    theirs = services.channel_create(
        actor=None, agency=agency_tree["other_town"], kind=ChannelKind.WECHAT, name="桃花"
    )
    with pytest.raises(CommandError, match="has no channel with id"):
        command(*base, "--channel", str(theirs.pk), path)


def test_publish_due_is_idempotent(editor, reviewer, make_item, columns, town):
    item = services.item_create(
        actor=editor,
        agency=town,
        column=columns["notice"],
        title="定时发布",
        formed_on=date(2026, 3, 2),
        genre=Genre.NOTICE,
    )
    services.item_submit(actor=editor, item=item)
    services.item_approve(
        actor=reviewer,
        item=item,
        checks=CHECKS,
        scheduled_at=timezone.now() - timedelta(minutes=1),
    )
    later = make_item("以后发布", publish=False)
    services.item_submit(actor=editor, item=later)
    services.item_approve(
        actor=reviewer, item=later, checks=CHECKS, scheduled_at=timezone.now() + timedelta(days=1)
    )
    out, _ = command("publish-due")
    assert "定时发布" in out and "1 item was published." in out
    item.refresh_from_db()
    later.refresh_from_db()
    assert (item.status, later.status) == (ItemStatus.PUBLISHED, ItemStatus.APPROVED)
    out, _ = command("publish-due")
    assert "No item was due for publication." in out
    assert AuditEvent.objects.filter(verb="item.publish", object_id=str(item.pk)).count() == 1
