"""Attachments live in the private storage: a draft's (or a withdrawn item's) file is reachable
by no URL; staff get it after the agency check, the public through the portal once the item is
published."""

import importlib
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.tests.factories import make_pdf
from gongkai.core.storage import private_storage

pytestmark = pytest.mark.django_db

ACCEL = "/_private/"
PDF = make_pdf("budget draft", author=None)


@pytest.fixture
def draft_attachment(attach):
    attachment = attach("预算草案.pdf", PDF)
    return attachment.item, attachment


def staff_url(item, attachment) -> str:
    return reverse("catalogue:attachment-download", args=["liuheng", item.pk, attachment.pk])


def portal_url(item, attachment) -> str:
    return reverse("portal:attachment", args=["liuheng", item.pk, attachment.pk])


def test_a_drafts_attachment_is_not_served_under_media(client, draft_attachment, debug_urls):
    """`make run` (DEBUG) serves MEDIA_ROOT at /media/: the draft's file is not there."""
    item, attachment = draft_attachment
    name = attachment.file.name
    assert name.startswith(f"attachments/{item.agency_id}/{item.pk}/")
    assert client.get(f"/media/{name}").status_code == 404
    assert not default_storage.exists(name) and private_storage().exists(name)
    assert client.get(portal_url(item, attachment)).status_code == 404


def test_staff_download_is_scoped_to_the_agency(client, people, draft_attachment):
    item, attachment = draft_attachment
    url = staff_url(item, attachment)
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    client.force_login(people.editor)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert response["X-Content-Type-Options"] == "nosniff"


def test_published_attachments_are_public_through_the_portal(
    client, people, draft_attachment, advance, settings
):
    item, attachment = draft_attachment
    item = advance(item, ItemStatus.PUBLISHED)
    attachment.refresh_from_db()  # publishing strips the metadata: a new file
    response = client.get(portal_url(item, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"].startswith("public")  # cacheable, like the item's page
    assert response["X-Content-Type-Options"] == "nosniff"

    settings.GONGKAI_PRIVATE_ACCEL_PREFIX = ACCEL  # production: nginx sends the bytes
    response = client.get(portal_url(item, attachment))
    assert response["X-Accel-Redirect"] == ACCEL + quote(attachment.file.name)
    assert response.content == b""
    client.force_login(people.editor)
    response = client.get(staff_url(item, attachment))
    assert response["X-Accel-Redirect"] == ACCEL + quote(attachment.file.name)
    assert "no-store" in response["Cache-Control"]

    services.item_withdraw(actor=people.reviewer, item=item, reason="内容已过时")
    client.logout()
    assert client.get(portal_url(item, attachment)).status_code == 404


def test_the_migration_moves_attachments_stored_under_media(draft_attachment, media_root):
    _item, attachment = draft_attachment
    name = attachment.file.name
    with private_storage().open(name) as handle:  # the layout before: under MEDIA_ROOT
        default_storage.save(name, ContentFile(handle.read()))
    private_storage().delete(name)
    migration = importlib.import_module(
        "gongkai.catalogue.migrations.0005_attachment_private_storage"
    )
    migration.move_files(apps, None)
    migration.move_files(apps, None)  # rerunnable
    assert not (media_root / name).exists()
    assert private_storage().open(name).read() == PDF
