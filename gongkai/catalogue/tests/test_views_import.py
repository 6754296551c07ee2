"""The staff pages of the bulk imports: upload → preview → confirm, for items and for the posts
of an external channel.

Uses the fixtures of conftest.py (六横镇, one user per role, the column 工作动态). Assertions
avoid English UI text (the Chinese catalogue translates it): they look at the context, the
status, the database, the stored files and the markup the pages are built from.
"""

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.catalogue import imports, services
from gongkai.catalogue.imports_queue import IMPORT_PUBLICATIONS_TASK
from gongkai.catalogue.models import Item, ItemStatus, Publication
from gongkai.catalogue.taxonomy import ChannelKind
from gongkai.catalogue.tests.factories import make_xlsx
from gongkai.core import services as core_services
from gongkai.core.models import AuditEvent, Role, Task, TaskStatus
from gongkai.core.tasks import run_task

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=CST)  # dates in the files must not be in the future

ITEM_HEADINGS = ["栏目", "标题", "成文日期", "体裁", "文号", "发布机构", "主题分类", "有效性"]
PUB_HEADINGS = ["索引号", "标题", "发布日期", "链接"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ITEMS_KEY = "staging.catalogue.items"
PUBLICATIONS_KEY = "staging.catalogue.publications"


@pytest.fixture(autouse=True)
def fixed_now(time_machine):
    time_machine.move_to(NOW)


def csv_file(rows, name="items.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="items.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_xlsx(rows), content_type=XLSX_TYPE)


def item_row(title, formed_on="2026-03-02", **overrides):
    values = {
        "栏目": "工作动态",
        "标题": title,
        "成文日期": formed_on,
        "体裁": "工作动态",
        "文号": "",
        "发布机构": "",
        "主题分类": "",
        "有效性": "",
    }
    values.update(overrides)
    return [values[h] for h in ITEM_HEADINGS]


GOOD_ITEMS = [
    ITEM_HEADINGS,
    item_row("六横镇召开防汛防台工作部署会", 文号="六政发〔2026〕7号", 主题分类="综合政务"),
    item_row("六横镇开展安全生产大检查", formed_on="2026年3月5日", 有效性="有效"),
]


def url(name, agency, *args):
    return reverse(f"catalogue:{name}", args=[agency.slug, *args])


def staged_files(private_root) -> list:
    folder = private_root / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client, target, file):
    return client.post(target, {"file": file})


def confirm(client, target, sha256):
    return client.post(target, {"sha256": sha256})


def html(response) -> str:
    return response.content.decode()


def edit_session(client, key, **changes):
    session = client.session
    record = dict(session[key])
    record.update(changes)
    session[key] = record
    session.save()


# --- items: the whole path --------------------------------------------------------------


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_items_upload_preview_confirm(
    client, town, people, column, private_root, make_file, django_capture_on_commit_callbacks
):
    client.force_login(people.editor)
    page = client.get(url("item-import", town))
    assert page.status_code == 200
    assert page.context["nav"] == "import" and page.context["confirm_form"] is None
    assert url("item-import-template", town) in html(page)
    expected = "栏目 标题 成文日期 体裁 文号 发布机构 主题分类 有效性 内容概述 正文".split()
    for heading in expected:
        assert f"<code>{heading}</code>" in html(page)

    preview = upload(client, url("item-import", town), make_file(GOOD_ITEMS))
    assert preview.status_code == 200
    assert preview.context["errors"] == []
    rows = preview.context["rows"]
    assert [(r.row, r.column, r.title, r.formed_on, r.genre) for r in rows] == [
        (2, "工作动态", "六横镇召开防汛防台工作部署会", date(2026, 3, 2), "工作动态"),
        (3, "工作动态", "六横镇开展安全生产大检查", date(2026, 3, 5), "工作动态"),
    ]
    assert rows[0].document_number == "六政发〔2026〕7号" and rows[1].validity == "有效"
    body = html(preview)
    assert "六横镇召开防汛防台工作部署会" in body and "2026-03-05" in body
    assert url("item-import-confirm", town) in body
    assert not Item.objects.exists()  # a preview writes nothing
    (stored,) = staged_files(private_root)
    record = client.session[ITEMS_KEY]
    assert record["user"] == people.editor.pk and record["agency"] == town.pk
    assert record["file_name"] == make_file(GOOD_ITEMS).name
    assert f'value="{record["sha256"]}"' in body

    with django_capture_on_commit_callbacks(execute=True):  # the import task runs (eager)
        done = confirm(client, url("item-import-confirm", town), record["sha256"])
    assert done.status_code == 302
    task = Task.objects.get(name="catalogue.import_items")
    assert done.headers["Location"] == url("item-import-run", town, task.pk)
    assert task.status == TaskStatus.DONE and task.progress == "2 / 2"
    items = Item.objects.filter(agency=town).order_by("formed_on")
    assert [(i.title, i.status, i.created_by) for i in items] == [
        ("六横镇召开防汛防台工作部署会", ItemStatus.DRAFT, people.editor),
        ("六横镇开展安全生产大检查", ItemStatus.DRAFT, people.editor),
    ]
    assert AuditEvent.objects.get(verb="item.import").after["rows"] == 2
    assert not stored.exists() and staged_files(private_root) == []
    assert ITEMS_KEY not in client.session
    result = client.get(done.headers["Location"])
    assert result.status_code == 200 and "Refresh" not in result.headers
    assert result.context["created"] == 2 and not result.context["failed"]
    assert 'id="import-done"' in html(result) and url("item-list", town) in html(result)

    again = confirm(client, url("item-import-confirm", town), record["sha256"])
    assert again.status_code == 400  # the file is gone: a second confirmation imports nothing
    assert Item.objects.count() == 2


def test_a_bad_row_shows_row_level_errors_and_offers_no_confirmation(
    client, town, people, column, private_root
):
    client.force_login(people.editor)
    rows = [
        ITEM_HEADINGS,
        item_row("第一条"),
        item_row("第二条", formed_on="2026-13-01"),
        item_row("", 体裁="不存在的体裁"),
    ]
    response = upload(client, url("item-import", town), csv_file(rows))
    assert response.status_code == 400
    errors = response.context["errors"]
    assert [(e.row, e.column) for e in errors] == [(3, "成文日期"), (4, "标题"), (4, "体裁")]
    body = html(response)
    for error in errors:
        assert f'<tr class="import-error" data-row="{error.row}">' in body
        assert f"<mark>{error.message}</mark>" in body
    assert "2026-13-01" in body
    assert response.context["confirm_form"] is None
    assert url("item-import-confirm", town) not in body
    assert [r.row for r in response.context["rows"]] == [2]  # the good rows are still listed
    assert response.context["form"] is not None  # upload the corrected file here
    assert staged_files(private_root) == [] and ITEMS_KEY not in client.session
    assert not Item.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="item.").exists()


def test_file_level_errors_and_the_size_limit(client, town, people, column, private_root, settings):
    client.force_login(people.editor)
    unknown = upload(
        client, url("item-import", town), csv_file([["栏目", "备注"], ["工作动态", "x"]])
    )
    assert unknown.status_code == 400
    assert [e.row for e in unknown.context["errors"]] == [1, 1, 1, 1]  # 备注 unknown, 3 missing

    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 100
    too_big = upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    assert too_big.status_code == 400
    assert too_big.context["form"].has_error("file", "too_large")
    assert too_big.context["preview"] is None

    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 20 * 2**20
    pdf = SimpleUploadedFile("items.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    wrong_type = upload(client, url("item-import", town), pdf)
    assert wrong_type.status_code == 400
    assert wrong_type.context["form"].has_error("file", "file_type")
    assert staged_files(private_root) == [] and not Item.objects.exists()


def test_a_new_upload_replaces_the_staged_file(
    client, town, people, column, private_root, django_capture_on_commit_callbacks
):
    client.force_login(people.editor)
    upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    (first,) = staged_files(private_root)
    first_sha = client.session[ITEMS_KEY]["sha256"]
    upload(client, url("item-import", town), csv_file([ITEM_HEADINGS, item_row("另一条")]))
    (second,) = staged_files(private_root)
    assert first != second and not first.exists()

    stale = confirm(client, url("item-import-confirm", town), first_sha)  # the old preview's tab
    assert stale.status_code == 400 and not Item.objects.exists()
    assert second.exists()  # the newer preview may still be confirmed
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(
            client, url("item-import-confirm", town), client.session[ITEMS_KEY]["sha256"]
        )
    assert done.status_code == 302
    assert list(Item.objects.values_list("title", flat=True)) == ["另一条"]

    upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    bad = upload(client, url("item-import", town), csv_file([ITEM_HEADINGS, item_row("")]))
    assert bad.status_code == 400
    assert staged_files(private_root) == []  # an upload with errors leaves nothing staged either


def test_confirmation_rejected_by_the_import_shows_the_errors(
    client, town, people, column, private_root, make_item, django_capture_on_commit_callbacks
):
    client.force_login(people.editor)
    upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    sha = client.session[ITEMS_KEY]["sha256"]
    # between the preview and the confirmation, someone creates the same item by hand
    make_item(title="六横镇开展安全生产大检查", formed_on=date(2026, 3, 5), column=column)
    with django_capture_on_commit_callbacks(execute=True):
        queued = confirm(client, url("item-import-confirm", town), sha)
    response = client.get(queued.headers["Location"])
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, "")]
    assert 'data-row="3"' in html(response)
    assert Item.objects.count() == 1  # all or nothing: row 2 was not created either
    assert staged_files(private_root) == [] and ITEMS_KEY not in client.session


# --- items: the staged file is not trusted ------------------------------------------------


def _tamper_user(client, people, private_root, town, agency_tree):
    edit_session(client, ITEMS_KEY, user=people.officer.pk)


def _tamper_agency(client, people, private_root, town, agency_tree):
    edit_session(client, ITEMS_KEY, agency=agency_tree["other_town"].pk)


def _tamper_bytes(client, people, private_root, town, agency_tree):
    (stored,) = staged_files(private_root)
    stored.write_bytes(stored.read_bytes().replace("安全生产".encode(), "别的内容".encode()))


def _tamper_name(client, people, private_root, town, agency_tree):
    outside = private_root / "secret.csv"
    outside.write_bytes(b"x")
    edit_session(client, ITEMS_KEY, name="secret.csv")


def _delete_file(client, people, private_root, town, agency_tree):
    (stored,) = staged_files(private_root)
    stored.unlink()


@pytest.mark.parametrize(
    "tamper", [_tamper_user, _tamper_agency, _tamper_bytes, _tamper_name, _delete_file]
)
def test_a_tampered_staging_is_refused(
    client, town, people, column, private_root, agency_tree, tamper
):
    client.force_login(people.editor)
    upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    sha = client.session[ITEMS_KEY]["sha256"]
    tamper(client, people, private_root, town, agency_tree)
    response = confirm(client, url("item-import-confirm", town), sha)
    assert response.status_code == 400
    assert response.context["confirm_form"] is None
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Item.objects.exists()
    assert ITEMS_KEY not in client.session
    if tamper is _tamper_name:
        assert (private_root / "secret.csv").exists()  # never deleted through a forged name
    else:
        assert staged_files(private_root) == []  # the staged file is gone


def test_a_file_staged_for_one_agency_is_not_imported_into_another(
    client, agency_tree, people, column, private_root, make_member
):
    town, other = agency_tree["town"], agency_tree["other_town"]
    both = make_member(town, Role.EDITOR, "both_towns")
    core_services.membership_grant(actor=None, user=both, agency=other, role=Role.EDITOR)
    services.column_create(actor=None, agency=other, name="工作动态", column_type="news")
    client.force_login(both)
    upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    sha = client.session[ITEMS_KEY]["sha256"]
    response = confirm(client, url("item-import-confirm", other), sha)
    assert response.status_code == 400
    assert not Item.objects.exists()


def test_the_confirmation_needs_the_previewed_hash(client, town, people, column, private_root):
    client.force_login(people.editor)
    upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    assert client.post(url("item-import-confirm", town)).status_code == 400
    assert confirm(client, url("item-import-confirm", town), "0" * 64).status_code == 400
    assert not Item.objects.exists()


# --- the template ------------------------------------------------------------------------


def test_the_template_is_a_real_xlsx_with_the_headings(client, town, people, column, private_root):
    client.force_login(people.editor)
    response = client.get(url("item-import-template", town))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == [
        "栏目",
        "标题",
        "成文日期",
        "体裁",
        "文号",
        "发布机构",
        "主题分类",
        "有效性",
        "生效日期",
        "失效日期",
        "内容概述",
        "正文",
    ]
    assert sheet.max_row == 1  # no example rows that would be imported by mistake
    genres = [cell.value for cell in workbook.worksheets[1]["A"][1:]]
    assert "行政规范性文件" in genres and "工作动态" in genres
    # filled in, the template imports as it is
    sheet.append(["工作动态", "按模板填写的信息", "2026-03-02", "工作动态"])
    out = io.BytesIO()
    workbook.save(out)
    preview = imports.items_preview(
        actor=people.editor, agency=town, file_name="模板.xlsx", data=out.getvalue()
    )
    assert preview.ok and [r.row for r in preview.rows] == [2]


# --- publications on a channel -----------------------------------------------------------


@pytest.fixture
def weibo(town):
    return services.channel_create(
        actor=None, agency=town, kind=ChannelKind.WEIBO, name="六横发布", account="liuheng"
    )


@pytest.fixture
def posted(item_in):
    """Two published items, with their index numbers."""
    return [
        item_in(ItemStatus.PUBLISHED, title="关于春季森林防火的通告"),
        item_in(ItemStatus.PUBLISHED, title="关于夏季防汛防台的通告"),
    ]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_publications_upload_preview_confirm(
    client, town, people, weibo, posted, private_root, make_file
):
    first, second = posted
    services.publication_record(
        actor=people.editor, item=second, channel=weibo, published_on=date(2026, 3, 4)
    )
    client.force_login(people.editor)
    channels = client.get(url("channels", town))
    assert url("publication-import", town, weibo.pk) in html(channels)

    target = url("publication-import", town, weibo.pk)
    page = client.get(target)
    assert page.status_code == 200 and page.context["importable"]
    for heading in PUB_HEADINGS:
        assert f"<code>{heading}</code>" in html(page)
    rows = [
        PUB_HEADINGS,
        [first.index_number, "", "2026-03-05", "https://weibo.com/liuheng/1"],
        ["", "关于夏季防汛防台的通告", "2026-03-06", ""],
    ]
    preview = upload(client, target, make_file(rows))
    assert preview.status_code == 200
    assert [
        (r.row, r.title, r.published_on, r.already_recorded) for r in preview.context["rows"]
    ] == [
        (2, "关于春季森林防火的通告", date(2026, 3, 5), False),
        (3, "关于夏季防汛防台的通告", date(2026, 3, 6), True),
    ]
    assert (preview.context["to_record"], preview.context["skipped"]) == (1, 1)
    assert first.index_number in html(preview)
    assert url("publication-import-confirm", town, weibo.pk) in html(preview)
    assert Publication.objects.filter(channel=weibo).count() == 1
    record = client.session[PUBLICATIONS_KEY]
    assert record["scope"] == weibo.pk and record["agency"] == town.pk

    done = confirm(client, url("publication-import-confirm", town, weibo.pk), record["sha256"])
    # recorded by a background task (catalogue.import_publications), whose page shows it
    task = Task.objects.get(name=IMPORT_PUBLICATIONS_TASK)
    run_page = url("publication-import-run", town, weibo.pk, task.pk)
    assert done.status_code == 302 and done.headers["Location"] == run_page
    assert PUBLICATIONS_KEY not in client.session and len(staged_files(private_root)) == 1
    waiting = client.get(run_page)
    assert waiting.status_code == 200 and waiting.headers["Refresh"] == "2"
    assert run_task(task.pk).status == TaskStatus.DONE
    finished = client.get(run_page)
    assert finished.context["recorded"] == 1 and 'id="import-done"' in html(finished)
    assert "Refresh" not in finished.headers
    imported = Publication.objects.get(channel=weibo, item=first)
    assert imported.source == Publication.Source.IMPORTED
    assert (imported.published_on, imported.url) == (
        date(2026, 3, 5),
        "https://weibo.com/liuheng/1",
    )
    assert Publication.objects.filter(channel=weibo).count() == 2
    assert staged_files(private_root) == [] and PUBLICATIONS_KEY not in client.session


def test_publication_rows_with_errors_import_nothing(
    client, town, people, weibo, posted, private_root
):
    first, _second = posted
    client.force_login(people.editor)
    rows = [
        PUB_HEADINGS,
        [first.index_number, "", "2026-03-05", ""],
        ["11330903000000000X/2026-99999", "", "2026-03-05", ""],
        ["", "关于夏季防汛防台的通告", "3月6日", "weibo.com/2"],
    ]
    response = upload(client, url("publication-import", town, weibo.pk), csv_file(rows))
    assert response.status_code == 400
    errors = response.context["errors"]
    assert [(e.row, e.column) for e in errors] == [(3, "索引号"), (4, "发布日期"), (4, "链接")]
    body = html(response)
    for error in errors:
        assert f'<tr class="import-error" data-row="{error.row}">' in body
    assert response.context["confirm_form"] is None
    assert url("publication-import-confirm", town, weibo.pk) not in body
    assert staged_files(private_root) == [] and PUBLICATIONS_KEY not in client.session
    assert not Publication.objects.filter(channel=weibo).exists()


def test_a_publications_staging_is_bound_to_its_channel(
    client, town, people, weibo, posted, private_root
):
    wechat = services.channel_create(actor=None, agency=town, kind=ChannelKind.WECHAT, name="六横")
    client.force_login(people.editor)
    rows = [PUB_HEADINGS, [posted[0].index_number, "", "2026-03-05", ""]]
    upload(client, url("publication-import", town, weibo.pk), csv_file(rows))
    sha = client.session[PUBLICATIONS_KEY]["sha256"]
    response = confirm(client, url("publication-import-confirm", town, wechat.pk), sha)
    assert response.status_code == 400
    assert not Publication.objects.filter(source=Publication.Source.IMPORTED).exists()
    assert staged_files(private_root) == []

    upload(client, url("publication-import", town, weibo.pk), csv_file(rows))
    sha = client.session[PUBLICATIONS_KEY]["sha256"]
    edit_session(client, PUBLICATIONS_KEY, user=people.reviewer.pk)
    response = confirm(client, url("publication-import-confirm", town, weibo.pk), sha)
    assert response.status_code == 400
    assert not Publication.objects.filter(source=Publication.Source.IMPORTED).exists()


def test_everything_already_recorded_offers_no_confirmation(
    client, town, people, weibo, posted, private_root
):
    first, _second = posted
    services.publication_record(
        actor=people.editor, item=first, channel=weibo, published_on=date(2026, 3, 4)
    )
    client.force_login(people.editor)
    rows = [PUB_HEADINGS, [first.index_number, "", "2026-03-05", ""]]
    response = upload(client, url("publication-import", town, weibo.pk), csv_file(rows))
    assert response.status_code == 200
    assert response.context["to_record"] == 0 and response.context["confirm_form"] is None
    assert staged_files(private_root) == []


def test_the_website_channel_is_not_imported_into(client, town, people, posted, private_root):
    website = services.website_channel(town)
    client.force_login(people.editor)
    channels = client.get(url("channels", town))
    assert url("publication-import", town, website.pk) not in html(channels)
    page = client.get(url("publication-import", town, website.pk))
    assert page.status_code == 200 and not page.context["importable"]
    assert 'enctype="multipart/form-data"' not in html(page)
    rows = [PUB_HEADINGS, [posted[0].index_number, "", "2026-03-05", ""]]
    response = upload(client, url("publication-import", town, website.pk), csv_file(rows))
    assert response.status_code == 400
    assert staged_files(private_root) == []
    assert not Publication.objects.filter(source=Publication.Source.IMPORTED).exists()


# --- tenancy, permissions, methods -------------------------------------------------------


def import_urls(town, weibo):
    return {
        "item-import": url("item-import", town),
        "item-import-confirm": url("item-import-confirm", town),
        "item-import-template": url("item-import-template", town),
        "publication-import": url("publication-import", town, weibo.pk),
        "publication-import-confirm": url("publication-import-confirm", town, weibo.pk),
    }


GETTABLE = {"item-import", "item-import-template", "publication-import"}
POSTABLE = {
    "item-import",
    "item-import-confirm",
    "publication-import",
    "publication-import-confirm",
}


@pytest.mark.parametrize("name", sorted(GETTABLE | POSTABLE))
def test_every_import_url_is_404_to_another_agency(
    client, town, people, column, weibo, private_root, name
):
    client.force_login(people.outsider)
    target = import_urls(town, weibo)[name]
    if name in GETTABLE:
        assert client.get(target).status_code == 404
    if name in POSTABLE:
        response = client.post(target, {"file": csv_file(GOOD_ITEMS), "sha256": "0" * 64})
        assert response.status_code == 404
    assert staged_files(private_root) == []
    assert not Item.objects.exists()


def test_another_agencys_channel_is_404(client, agency_tree, people, weibo, private_root):
    other = agency_tree["other_town"]
    theirs = services.channel_create(actor=None, agency=other, kind=ChannelKind.WEIBO, name="桃花")
    client.force_login(people.editor)
    assert client.get(url("publication-import", agency_tree["town"], theirs.pk)).status_code == 404
    assert client.get(url("publication-import", other, weibo.pk)).status_code == 404
    response = client.post(url("publication-import-confirm", agency_tree["town"], theirs.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(GETTABLE | POSTABLE))
def test_a_supervisor_without_the_roles_gets_403(
    client, town, people, column, weibo, private_root, name
):
    client.force_login(people.supervisor)  # reads 六横镇, may not write there
    target = import_urls(town, weibo)[name]
    if name in GETTABLE:
        assert client.get(target).status_code == 403
    if name in POSTABLE:
        response = client.post(target, {"file": csv_file(GOOD_ITEMS), "sha256": "0" * 64})
        assert response.status_code == 403
    assert staged_files(private_root) == [] and not Item.objects.exists()


def test_links_follow_the_permissions(client, town, people, column, weibo):
    client.force_login(people.reviewer)  # records publications, does not author items
    items = client.get(url("item-list", town))
    assert url("item-import", town) not in html(items)
    assert client.get(url("item-import", town)).status_code == 403
    assert url("publication-import", town, weibo.pk) in html(client.get(url("channels", town)))
    assert client.get(url("publication-import", town, weibo.pk)).status_code == 200

    client.force_login(people.supervisor)
    assert url("publication-import", town, weibo.pk) not in html(client.get(url("channels", town)))

    client.force_login(people.editor)
    items = client.get(url("item-list", town))
    assert html(items).count(url("item-import", town)) == 2  # the nav and the list


def test_anonymous_users_are_sent_to_login(client, town, weibo):
    for name, target in import_urls(town, weibo).items():
        response = client.get(target) if name in GETTABLE else client.post(target)
        assert response.status_code == 302, name
        assert response.headers["Location"].startswith(reverse("core:login")), name


def test_methods(client, town, people, column, weibo):
    client.force_login(people.officer)
    urls = import_urls(town, weibo)
    assert client.get(urls["item-import-confirm"]).status_code == 405
    assert client.get(urls["publication-import-confirm"]).status_code == 405
    assert client.post(urls["item-import-template"]).status_code == 405
    assert client.put(urls["item-import"]).status_code == 405


# --- query counts ------------------------------------------------------------------------


def count_queries(work) -> int:
    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


def test_the_pages_add_a_fixed_number_of_queries(
    client, town, people, column, weibo, posted, private_root, django_assert_max_num_queries
):
    """The import checks every row itself (as the staff form would); the pages around it add
    the same few queries whatever the number of rows."""
    client.force_login(people.editor)
    with django_assert_max_num_queries(9):
        assert client.get(url("item-import", town)).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(url("publication-import", town, weibo.pk)).status_code == 200

    def overhead(n: int) -> int:
        rows = [ITEM_HEADINGS, *(item_row(f"第{i}条信息") for i in range(n))]
        data = csv_file(rows).read()
        service = count_queries(
            lambda: imports.items_preview(
                actor=people.editor, agency=town, file_name="items.csv", data=data
            )
        )
        page = count_queries(
            lambda: upload(client, url("item-import", town), csv_file(rows)).status_code
        )
        return page - service

    few, many = overhead(2), overhead(20)
    # 11: the page's own 9 plus the savepoint pair of the request's transaction (every POST is
    # all-or-nothing; inside the test's transaction it is a SAVEPOINT and its RELEASE)
    assert few == many and few <= 11, (few, many)

    rows = [PUB_HEADINGS, *([item.index_number, "", "2026-03-05", ""] for item in posted)]
    with django_assert_max_num_queries(16):  # 14 and the request transaction's savepoint pair
        response = upload(client, url("publication-import", town, weibo.pk), csv_file(rows))
    assert response.status_code == 200 and len(response.context["rows"]) == 2


def test_an_abandoned_preview_is_swept_by_a_later_upload(
    client, town, people, column, private_root, time_machine
):
    client.force_login(people.editor)
    upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    (abandoned,) = staged_files(private_root)
    client.logout()  # the session ends with its file still staged

    other = Client()
    other.force_login(people.officer)
    time_machine.move_to(datetime.fromtimestamp(abandoned.stat().st_mtime, tz=UTC))
    time_machine.shift(timedelta(hours=23))
    other.force_login(people.officer)  # a day later: a new session
    upload(other, url("item-import", town), csv_file([ITEM_HEADINGS, item_row("今天的")]))
    assert abandoned.exists()  # not a day old yet
    time_machine.shift(timedelta(hours=2))
    other.force_login(people.officer)
    response = upload(
        other, url("item-import", town), csv_file([ITEM_HEADINGS, item_row("明天的")])
    )
    assert response.status_code == 200, html(response)
    assert not abandoned.exists()
    assert len(staged_files(private_root)) == 1  # the officer's own, current preview
