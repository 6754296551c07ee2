"""A .docx imported as an item's body: real Word documents made with python-docx (headings,
lists, a table, pictures), their pictures kept as files of the form and attached when the item
is saved, and hostile files refused with the safe reader's message before anything is stored."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.catalogue import docx_import, services
from gongkai.catalogue.models import Attachment, DraftAttachment
from gongkai.catalogue.taxonomy import Genre
from gongkai.core.models import AuditEvent
from gongkai.core.safefile import FileRefused
from gongkai.core.storage import private_storage

from .factories import make_pdf

TOKEN = "t" * 32


def picture(width=60, height=40, color=(200, 30, 30), fmt="PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format=fmt)
    return out.getvalue()


def word_document(*, pictures=(), table=True) -> bytes:
    """A 通知 as Word writes it: title (Heading 1), text with bold, a numbered and a bulleted
    list, a table with a header row, pictures."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading("关于开展汛期安全检查的通知", level=1)
    paragraph = document.add_paragraph("各村（社区）：请于")
    paragraph.add_run("6月30日前").bold = True
    paragraph.add_run("完成自查。")
    document.add_heading("检查范围", level=2)
    document.add_paragraph("山塘水库", style="List Number")
    document.add_paragraph("地质灾害隐患点", style="List Number")
    document.add_paragraph("带班领导到岗", style="List Bullet")
    if table:
        grid = document.add_table(rows=2, cols=2)
        grid.cell(0, 0).text, grid.cell(0, 1).text = "村（社区）", "检查点"
        grid.cell(1, 0).text, grid.cell(1, 1).text = "双塘村", "3"
    for data in pictures:
        document.add_picture(io.BytesIO(data), width=Cm(3))
    document.add_paragraph("六横镇人民政府")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite(data: bytes, member: str, change) -> bytes:
    """The same .docx with one part changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == member else content)
    return out.getvalue()


# --- conversion -------------------------------------------------------------------------------


def test_a_word_document_becomes_the_allowed_html():
    converted = docx_import.convert_docx(word_document(), name="通知.docx")
    body = converted.body
    assert "<h2>关于开展汛期安全检查的通知</h2>" in body
    assert "<h3>检查范围</h3>" in body
    assert "<strong>6月30日前</strong>" in body
    assert "<ol><li>山塘水库</li><li>地质灾害隐患点</li></ol>" in body
    assert "<ul><li>带班领导到岗</li></ul>" in body
    cells = re.findall(r"<td>(.*?)</td>", body)
    assert cells == ["<p>村（社区）</p>", "<p>检查点</p>", "<p>双塘村</p>", "<p>3</p>"]
    assert converted.images == [] and converted.skipped == []
    # sanitised like any body: nothing left to clean
    from gongkai.catalogue import richtext

    assert richtext.sanitize(body) == body


def test_pictures_become_files_and_a_line_in_the_body():
    png, jpeg = picture(), picture(color=(0, 90, 200), fmt="JPEG")
    converted = docx_import.convert_docx(word_document(pictures=(png, jpeg)), name="通知.docx")
    assert [(i.name, i.content_type) for i in converted.images] == [
        ("通知-1.png", "image/png"),
        ("通知-2.jpg", "image/jpeg"),
    ]
    assert converted.images[0].data == png and converted.images[1].data == jpeg
    assert "<img" not in converted.body
    assert converted.body.count("通知-1.png") == 1 and converted.body.count("通知-2.jpg") == 1


def test_a_picture_attachments_do_not_take_is_named_and_left_out():
    gif = picture(fmt="GIF")
    converted = docx_import.convert_docx(word_document(pictures=(gif,)), name="a.docx")
    assert converted.images == [] and converted.skipped == ["a-1.img"]
    assert "a-1.img" in converted.body


# --- hostile and wrong files ---------------------------------------------------------------


def test_an_archive_bomb_is_refused_before_mammoth_reads_it():
    bomb = rewrite(word_document(), "word/document.xml", lambda c: c)
    out = io.BytesIO(bomb)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/filler.bin", b"\0" * (8 * 2**20))
    with pytest.raises(FileRefused) as refused:
        docx_import.convert_docx(out.getvalue(), name="炸弹.docx")
    assert refused.value.code == "archive_ratio"
    assert "炸弹.docx" in str(refused.value)


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
        b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["entity-expansion", "external-entity"],
)
def test_xml_declarations_are_refused(declaration):
    def add(content: bytes) -> bytes:
        head, rest = content.split(b"?>", 1)
        return head + b"?>" + declaration + rest.replace(b"<w:t>", b"<w:t>&lol2;", 1)

    hostile = rewrite(word_document(), "word/document.xml", add)
    with pytest.raises(FileRefused) as refused:
        docx_import.convert_docx(hostile, name="x.docx")
    assert refused.value.code == "xml_declaration"


def test_a_file_that_is_not_a_docx_is_refused():
    with pytest.raises(FileRefused) as refused:
        docx_import.convert_docx(make_pdf("hello"), name="通知.docx")
    assert refused.value.code == "not_docx"


# --- the service: drafts of the form, adopted on save -------------------------------------


def test_import_keeps_pictures_as_drafts_which_the_saved_item_adopts(people, town, column):
    png = picture()
    imported = services.item_docx_import(
        actor=people.editor,
        agency=town,
        token=TOKEN,
        name="通知.docx",
        data=word_document(pictures=(png,)),
    )
    assert "<h2>关于开展汛期安全检查的通知</h2>" in imported.body
    (draft,) = imported.drafts
    assert (draft.original_name, draft.kind, draft.user, draft.token) == (
        "通知-1.png",
        "png",
        people.editor,
        TOKEN,
    )
    assert AuditEvent.objects.filter(verb="item.docx_import", agency=town).count() == 1

    item = services.item_create(
        actor=people.editor,
        agency=town,
        column=column,
        title="关于开展汛期安全检查的通知",
        formed_on=date(2026, 6, 1),
        genre=Genre.NOTICE,
        body=imported.body,
        drafts=TOKEN,
    )
    (attachment,) = item.attachments.all()
    assert (attachment.original_name, attachment.kind) == ("通知-1.png", "png")
    assert attachment.uploaded_by == people.editor
    # private until publication, like any attachment: not under MEDIA_ROOT
    from django.core.files.storage import default_storage

    name = attachment.file.name
    assert private_storage().exists(name) and not default_storage.exists(name)
    assert not DraftAttachment.objects.exists()
    assert item.body.startswith("<h2>关于开展汛期安全检查的通知</h2>")


def test_a_refused_import_stores_nothing(people, town):
    hostile = rewrite(
        word_document(pictures=(picture(),)),
        "word/document.xml",
        lambda c: c.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.item_docx_import(
            actor=people.editor, agency=town, token=TOKEN, name="x.docx", data=hostile
        )
    assert "x.docx" in refused.value.messages[0]
    assert not DraftAttachment.objects.exists()
    assert not AuditEvent.objects.filter(verb="item.docx_import").exists()


def test_only_authors_import(people, town):
    with pytest.raises(PermissionDenied):
        services.item_docx_import(
            actor=people.reviewer, agency=town, token=TOKEN, name="a.docx", data=word_document()
        )


def test_drafts_belong_to_their_user_and_token(people, town, column, make_member):
    from gongkai.core.models import Role

    other_editor = make_member(town, Role.EDITOR, "lh-editor-2")
    services.draft_attachment_add(
        actor=people.editor, agency=town, token=TOKEN, name="a.png", data=picture()
    )
    # another user's form with the same token, and the same user's other form, adopt nothing
    item = services.item_create(
        actor=other_editor,
        agency=town,
        column=column,
        title="其他",
        formed_on=date(2026, 6, 1),
        genre=Genre.NOTICE,
        drafts=TOKEN,
    )
    assert not item.attachments.exists()
    mine = services.item_create(
        actor=people.editor,
        agency=town,
        column=column,
        title="另一表单",
        formed_on=date(2026, 6, 1),
        genre=Genre.NOTICE,
        drafts="u" * 32,
    )
    assert not mine.attachments.exists()
    assert DraftAttachment.objects.count() == 1


def test_a_refused_upload_is_not_kept(people, town):
    with pytest.raises(ValidationError):
        services.draft_attachment_add(
            actor=people.editor, agency=town, token=TOKEN, name="a.exe", data=b"MZ\x90\x00"
        )
    with pytest.raises(ValidationError):  # a token the form never had
        services.draft_attachment_add(
            actor=people.editor, agency=town, token="../x", name="a.png", data=picture()
        )
    assert not DraftAttachment.objects.exists()


def test_unadopted_drafts_expire_after_a_day(
    people, town, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(
        timezone.datetime(2026, 6, 1, 9, 0, tzinfo=timezone.get_current_timezone())
    )
    old = services.draft_attachment_add(
        actor=people.editor, agency=town, token=TOKEN, name="old.png", data=picture()
    )
    stored = old.file.name
    time_machine.move_to(
        timezone.datetime(2026, 6, 2, 8, 0, tzinfo=timezone.get_current_timezone())
    )
    services.draft_attachment_add(
        actor=people.editor, agency=town, token=TOKEN, name="new.png", data=picture()
    )
    assert services.draft_attachments_expire() == 0  # 23 hours: kept
    time_machine.move_to(
        timezone.datetime(2026, 6, 2, 9, 30, tzinfo=timezone.get_current_timezone())
    )
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        assert services.draft_attachments_expire() == 1
    assert list(DraftAttachment.objects.values_list("original_name", flat=True)) == ["new.png"]
    assert not private_storage().exists(stored)
    assert AuditEvent.objects.filter(verb="attachment.draft_expire", actor=None).count() == 1
    assert services.draft_attachments_expire() == 0  # rerunnable


def test_editing_adopts_drafts_and_counts_the_editor_as_author(people, make_item):
    item = make_item()
    services.draft_attachment_add(
        actor=people.officer, agency=item.agency, token=TOKEN, name="a.png", data=picture()
    )
    services.item_update(actor=people.officer, item=item, data={}, drafts=TOKEN)
    assert Attachment.objects.filter(item=item).count() == 1
    assert item.content_authors.filter(pk=people.officer.pk).exists()


def test_the_scheduler_runs_the_expiry_daily():
    from gongkai.core import scheduler, tasks

    (job,) = [j for j in scheduler.JOBS if j.name == services.DRAFT_EXPIRE_TASK]
    assert job.every == scheduler.DAY and scheduler.registered(job)
    assert tasks.lookup(services.DRAFT_EXPIRE_TASK).__name__ == "expire_drafts"
