"""The item editor as an editor uses it: a new item, a Word document imported as its body, the
text edited in the rich editor (a bold paragraph typed, a telephone number typed and the
finding beside the editor read, then the number deleted), a file attached before the first
save, saved, submitted. Then the list sorted by a header. axe-core on the editor and the list.

Labels are translated, so the test finds its way by ids, names, data-* attributes and URLs
(see test_catalogue_flow.py) and asserts on data.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkai.catalogue.models import DraftAttachment, Item, ItemStatus
from gongkai.catalogue.taxonomy import Genre
from gongkai.catalogue.tests.factories import make_pdf
from gongkai.catalogue.tests.test_docx_import import picture, word_document

from .axe import assert_no_serious_violations
from .test_catalogue_flow import url_path_is
from .test_security_headers import watch

AGENCY = "liuheng"
TITLE = "关于开展汛期安全检查的通知（编辑器测试）"
MOBILE = "13805808000"


def test_an_editor_imports_a_docx_edits_attaches_and_submits(
    page: Page, log_in, column, artifacts_dir, tmp_path
):
    problems = watch(page)  # no Content-Security-Policy violation on the way
    log_in("lh_editor")
    create_url = reverse("catalogue:item-create", args=[AGENCY])
    page.goto(create_url)
    page.wait_for_function("() => window.gongkaiEditor")
    form = page.locator("#item-form")
    form.locator("select[name=column]").select_option(str(column.pk))
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=formed_on]").fill(timezone.localdate().isoformat())
    form.locator("select[name=genre]").select_option(Genre.NOTICE.value)

    # 1. A Word document as the body: its headings, lists and table in the editor, its
    # picture among the files waiting for the first save.
    docx = tmp_path / "汛期检查通知.docx"
    # the picture is a rule line, too small to hold text: a photo would be read by the OCR
    # worker first (any image attachment is; test_ocr_attachments.py), and block until then
    docx.write_bytes(word_document(pictures=(picture(width=120, height=8),)))
    form.locator("#id_docx").set_input_files(str(docx))
    import_url = reverse("catalogue:item-new-import", args=[AGENCY])
    with page.expect_navigation(url=url_path_is(import_url), wait_until="load"):
        form.locator("#import-docx").click()
    editor = page.locator(".rich-area .ProseMirror")
    expect(editor.locator("h2")).to_have_text("关于开展汛期安全检查的通知")
    expect(editor.locator("table td")).to_have_count(4)
    expect(editor.locator("ol li")).to_have_count(2)
    expect(form.locator("input[name=title]")).to_have_value(TITLE)  # what was typed stays
    expect(page.locator("#draft-files tr.draft-file")).to_have_count(1)

    # 2. Edit in the rich editor: a bold line at the end, then a telephone number the
    # checks beside the editor find (masked), deleted again.
    editor.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.locator('.rich-toolbar button[data-command="bold"]').click()
    expect(page.locator('.rich-toolbar button[data-command="bold"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.type("请各村于六月底前报送检查表。")
    # The editor's own state (mirrored into the form's body) holds the last character before
    # bold is switched off: the page can show it earlier, and a click then put the cursor back
    # before it, so under load "联系电话…" went in ahead of the full stop.
    expect(editor.locator("strong").last).to_have_text("请各村于六月底前报送检查表。")
    expect(form.locator("textarea[name=body]")).to_have_value(
        re.compile("<strong>请各村于六月底前报送检查表。</strong>")
    )
    # bold off by its shortcut where the cursor is (a click on the toolbar put the cursor back
    # before the full stop under load)
    page.keyboard.press("End")
    page.keyboard.press("Control+b")
    expect(page.locator('.rich-toolbar button[data-command="bold"]')).to_have_attribute(
        "aria-pressed", "false"
    )
    page.keyboard.type(f"联系电话{MOBILE}")
    finding = page.locator("#live-findings li.finding-privacy")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text(MOBILE[:3] + "****" + MOBILE[-4:])
    assert MOBILE not in page.locator("#live-findings").inner_text()
    for _ in range(len(MOBILE) + 4):
        page.keyboard.press("Backspace")
    expect(page.locator("#live-findings .findings-none")).to_be_visible()
    assert (
        "<strong>请各村于六月底前报送检查表。</strong>"
        in form.locator("textarea[name=body]").input_value()
    )

    # 3. A file attached before the item exists.
    attachment = tmp_path / "检查表.pdf"
    attachment.write_bytes(make_pdf("checklist", author=None))
    form.locator("#id_draft_files").set_input_files(str(attachment))
    files_url = reverse("catalogue:item-new-files", args=[AGENCY])
    with page.expect_navigation(url=url_path_is(files_url), wait_until="load"):
        form.locator("#upload-drafts").click()
    expect(page.locator("#draft-files tr.draft-file")).to_have_count(2)
    expect(editor.locator("strong").last).to_have_text("请各村于六月底前报送检查表。")
    page.screenshot(path=str(artifacts_dir / "editor.png"), full_page=True)
    assert_no_serious_violations(page, "item editor")
    assert page.evaluate("() => window.__cspViolations") == []
    assert problems == [], "\n".join(problems)

    # 4. Save: the item with its body and both files.
    with page.expect_navigation(url=re.compile(r"/items/\d+/edit/(?:[?#].*)?$"), wait_until="load"):
        form.locator("#save-item").click()
    pk = int(re.search(r"/items/(\d+)/edit/", page.url).group(1))
    item = Item.objects.get(pk=pk)
    assert item.title == TITLE and item.status == ItemStatus.DRAFT
    assert item.body.startswith("<h2>关于开展汛期安全检查的通知</h2>")
    assert "<strong>请各村于六月底前报送检查表。</strong>" in item.body
    assert MOBILE not in item.body
    assert sorted(item.attachments.values_list("original_name", flat=True)) == [
        "检查表.pdf",
        "汛期检查通知-1.png",
    ]
    assert not DraftAttachment.objects.exists()
    assert_no_serious_violations(page, "item editor (saved item)")

    # 5. Submit from the item's page.
    detail_url = reverse("catalogue:item-detail", args=[AGENCY, pk])
    page.goto(detail_url)
    submit_url = reverse("catalogue:item-submit", args=[AGENCY, pk])
    with page.expect_navigation(url=url_path_is(detail_url), wait_until="load"):
        page.locator(f'form[action="{submit_url}"] button[type=submit]').click()
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_the_list_sorts_by_its_headers_and_is_accessible(page: Page, log_in):
    log_in("lh_editor")
    list_url = reverse("catalogue:item-list", args=[AGENCY])
    page.goto(list_url)
    header = page.locator("table.items thead th").filter(has=page.locator('a[href*="sort=title"]'))
    header.locator("a").click()
    expect(page).to_have_url(re.compile(r"sort=title"))
    expect(page.locator('table.items th[aria-sort="ascending"]')).to_have_count(1)
    shown = page.locator("table.items tbody td.title").all_inner_texts()
    assert shown == sorted(shown)
    assert_no_serious_violations(page, "item list")


def test_a_paste_from_word_keeps_the_text_and_structure_only(page: Page, log_in, column):
    """Word's clipboard HTML pasted into the editor: the list is a list, the table a table, and
    no style, class, font or Office tag reaches the form (nor the saved item)."""
    from gongkai.catalogue import richtext
    from gongkai.catalogue.tests.test_editor_paste import WORD_PASTE

    problems = watch(page)  # the Content-Security-Policy: nothing refused (no inline style)
    log_in("lh_editor")
    page.goto(reverse("catalogue:item-create", args=[AGENCY]))
    page.wait_for_function("() => window.gongkaiEditor")
    page.locator(".rich-area .ProseMirror").click()
    page.evaluate(
        """html => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "x");
            const target = document.querySelector(".rich-area .ProseMirror");
            target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_PASTE,
    )
    editor = page.locator(".rich-area .ProseMirror")
    expect(editor.locator("ol li")).to_have_count(2)
    expect(editor.locator("ol li").first).to_have_text("山塘水库")
    expect(editor.locator("ul li")).to_have_text("带班领导到岗")
    expect(editor.locator("table td")).to_have_count(2)
    expect(editor.locator("h2")).to_have_text("关于开展汛期安全检查的通知")
    body = page.locator("textarea[name=body]").input_value()
    assert "<strong>检查时间</strong>" in body
    for gone in ("mso", "class=", "<span", "<font", "o:p", "Ignore", "1.\xa0", "宋体"):
        assert gone not in body, gone
    # the editor's own table widths and a link's target are left to the server, which keeps
    # no attribute of the kind
    saved = richtext.sanitize(body)
    assert "style=" not in saved and "target=" not in saved and "<colgroup" not in saved
    page.locator('.rich-toolbar button[data-command="table"]').click()  # a table of its own
    expect(editor.locator("table")).to_have_count(2)
    assert page.evaluate("() => window.__cspViolations") == []
    assert problems == [], "\n".join(problems)


def test_table_rows_and_columns_are_added_and_deleted(page: Page, log_in, column):
    """The toolbar's table buttons: a row and a column added, then the row and the column the
    cursor is in deleted, then the table; the form's body follows each step, and the buttons
    that need a table show only inside one."""
    problems = watch(page)
    log_in("lh_editor")
    page.goto(reverse("catalogue:item-create", args=[AGENCY]))
    page.wait_for_function("() => window.gongkaiEditor")
    editor = page.locator(".rich-area .ProseMirror")
    editor.click()
    page.keyboard.type("表格如下：")

    def button(command: str):
        return page.locator(f'.rich-toolbar button[data-command="{command}"]')

    def body() -> str:
        return page.locator("textarea[name=body]").input_value()

    for command in ("addRow", "addColumn", "deleteRow", "deleteColumn", "deleteTable"):
        expect(button(command)).to_be_hidden()
    button("table").click()  # 3 × 3 with a header row, the cursor in its first cell
    rows, cells = editor.locator("table tr"), editor.locator("table tr").first.locator("th, td")
    expect(rows).to_have_count(3)
    expect(cells).to_have_count(3)
    for command in ("addRow", "addColumn", "deleteRow", "deleteColumn", "deleteTable"):
        expect(button(command)).to_be_visible()
        expect(button(command)).to_have_attribute("aria-label", re.compile(r"\S"))
    page.keyboard.type("项目")
    button("addRow").click()
    button("addColumn").click()
    expect(rows).to_have_count(4)
    expect(cells).to_have_count(4)
    assert body().count("<tr>") == 4

    # the second row's second cell: its row and its column go
    editor.locator("table tr").nth(1).locator("td").nth(1).click()
    page.keyboard.type("待删")
    button("deleteRow").click()
    expect(rows).to_have_count(3)
    assert "待删" not in body() and body().count("<tr>") == 3
    editor.locator("table tr").nth(1).locator("td").nth(1).click()
    button("deleteColumn").click()
    expect(cells).to_have_count(3)
    expect(editor.locator("table th").first).to_have_text("项目")  # the header cell stays
    assert body().count("<th") == 3

    button("deleteTable").click()
    expect(editor.locator("table")).to_have_count(0)
    assert "<table" not in body() and "表格如下：" in body()
    expect(button("deleteRow")).to_be_hidden()
    assert page.evaluate("() => window.__cspViolations") == []
    assert problems == [], "\n".join(problems)


def test_bulk_submit_from_the_list(page: Page, log_in, column, demo):
    """Tick every draft of a page with the header's box, submit them: each is submitted
    through its own service, and one the privacy shield blocks is named in the messages."""
    from gongkai.catalogue import services as catalogue_services

    editor = demo.users["lh_editor"]
    clean = catalogue_services.item_create(
        actor=editor,
        agency=column.agency,
        column=column,
        title="批量提交测试：会议通知",
        formed_on=timezone.localdate(),
        genre=Genre.NOTICE,
        body="<p>会议定于下周召开。</p>",
    )
    blocked = catalogue_services.item_create(
        actor=editor,
        agency=column.agency,
        column=column,
        title="批量提交测试：联系人",
        formed_on=timezone.localdate(),
        genre=Genre.NOTICE,
        body=f"<p>联系电话{MOBILE}</p>",
    )
    log_in("lh_editor")
    list_url = reverse("catalogue:item-list", args=[AGENCY])
    page.goto(list_url + "?q=批量提交测试")
    expect(page.locator('table.items input[name="items"]')).to_have_count(2)
    page.locator("#select-all").check()
    expect(page.locator('table.items input[name="items"]:checked')).to_have_count(2)
    with page.expect_navigation(url=re.compile(r"/items/\?q="), wait_until="load"):
        page.locator('#bulk-form button[value="submit"]').click()
    clean.refresh_from_db()
    blocked.refresh_from_db()
    assert (clean.status, blocked.status) == (ItemStatus.PENDING, ItemStatus.DRAFT)
    expect(page.locator("ul.messages li.error")).to_contain_text("批量提交测试：联系人")
