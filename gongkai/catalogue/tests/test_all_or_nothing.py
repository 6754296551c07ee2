# ruff: noqa: F811 — the fixtures imported from test_views are redefined as test arguments
"""The catalogue's form steps are all or nothing (issue 13, finding 6): an edit or an upload
whose answer fails after the service saved leaves no change, no audit row, no content author
(finding 5) and no stored file, and the retry goes through."""

from pathlib import Path

from django.test import Client

from gongkai.catalogue import views, views_attachments
from gongkai.catalogue.models import Attachment
from gongkai.core.models import AuditEvent

from .test_views import (  # noqa: F401 — fixtures shared with test_views
    column,
    fixed_now,
    item,
    media,
    people,
    town,
    url,
)
from .test_views_workflow import item_form, png_bytes, upload


def stored_files() -> list[str]:
    location = Path(Attachment._meta.get_field("file").storage.location)
    return sorted(p.name for p in location.rglob("*") if p.is_file())


def fails(*args, **kwargs):
    raise RuntimeError("the answer could not be built")


def test_an_edit_whose_redirect_fails_saves_nothing(town, column, people, item, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(people.officer)
    edit = url("item-edit", town, item.pk)
    title = item.title
    with monkeypatch.context() as patched:
        patched.setattr(views, "_item_url", fails)
        response = client.post(edit, item_form(column, title="专员改写的标题"))
    assert response.status_code == 500
    item.refresh_from_db()
    assert item.title == title
    assert not AuditEvent.objects.filter(verb="item.update").exists()
    assert list(item.content_authors.all()) == [people.editor]

    assert client.post(edit, item_form(column, title="专员改写的标题")).status_code == 302
    item.refresh_from_db()
    assert item.title == "专员改写的标题"
    assert set(item.content_authors.all()) == {people.editor, people.officer}


def test_an_upload_whose_redirect_fails_saves_nothing(town, people, item, media, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(people.editor)
    with monkeypatch.context() as patched:
        patched.setattr(views_attachments, "redirect", fails)
        response = upload(client, town, item, "现场照片.png", png_bytes())
    assert response.status_code == 500
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(verb="attachment.add").exists()
    assert stored_files() == []  # the file stored before the failure is not left behind

    assert upload(client, town, item, "现场照片.png", png_bytes()).status_code == 302
    attachment = Attachment.objects.get(item=item)
    assert stored_files() == [Path(attachment.file.name).name]
