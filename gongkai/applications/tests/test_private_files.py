"""Letters and applicants' files are private: no URL maps them; only the download views, after
their permission check, hand them out (streamed, or through nginx with X-Accel-Redirect)."""

import importlib
import io
from io import StringIO
from urllib.parse import quote

import pytest
import time_machine
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gongkai.applications import render, services
from gongkai.applications.models import Letter
from gongkai.applications.outcomes import Outcome
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent
from gongkai.core.storage import move_private_files, private_storage

pytestmark = pytest.mark.django_db


def png(colour: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(out, format="PNG")
    return out.getvalue()


PNG, OTHER_PNG = png("red"), png("blue")
ACCEL = "/_private/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def replied(office):
    """An online application of the town, replied 部分公开 with one released file and one kept
    back, its reply letter's DOCX and PDF stored; and the applicant's query code."""
    result = services.application_submit(agency=office["agency"], data=person(), ip="10.9.9.9")
    application, officer = result.application, office["officer"]
    services.application_confirm_receipt(actor=officer, application=application)
    released = services.application_file_add(
        actor=officer, application=application, name="招标公告.png", data=PNG
    )
    kept = services.application_file_add(
        actor=officer, application=application, name="内部.png", data=OTHER_PNG
    )
    services.application_reply(
        actor=officer,
        application=application,
        outcome=Outcome.PARTIAL,
        reason="部分内容涉及商业秘密",
        release=[released.pk],
    )
    letter = render.ensure_files(Letter.objects.get(application=application, kind="reply"))
    return {
        "application": application,
        "code": result.query_code,
        "letter": letter,
        "released": released,
        "kept": kept,
    }


def stored_names(replied) -> list[str]:
    letter = replied["letter"]
    return [
        letter.docx.name,
        letter.pdf.name,
        replied["released"].file.name,
        replied["kept"].file.name,
    ]


def unlock(client, replied):
    application = replied["application"]
    response = client.post(
        reverse("portal:application-status", args=["liuheng"]),
        {"number": application.number, "code": replied["code"]},
    )
    assert response.status_code == 302


def staff_urls(replied) -> dict[str, str]:
    application, letter = replied["application"], replied["letter"]
    one = ["liuheng", application.pk]
    return {
        "docx": reverse("applications:letter", args=[*one, letter.pk, "docx"]),
        "pdf": reverse("applications:letter", args=[*one, letter.pk, "pdf"]),
        "file": reverse("applications:file", args=[*one, replied["kept"].pk]),
    }


def public_urls(replied) -> dict[str, str]:
    letter = replied["letter"]
    return {
        "docx": reverse("portal:application-letter", args=["liuheng", letter.pk, "docx"]),
        "file": reverse("portal:application-file", args=["liuheng", replied["released"].pk]),
    }


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_private_download(response, filename_end: str) -> None:
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and disposition.rstrip('"').endswith(filename_end)
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert response["X-Content-Type-Options"] == "nosniff"


# --- where the files are --------------------------------------------------------------------


def test_letters_and_files_are_not_served_under_media(client, replied, media, debug_urls):
    """`make run` (DEBUG) serves MEDIA_ROOT at /media/: none of them is there."""
    names = stored_names(replied)
    assert all(names) and any(n.startswith("letters/") for n in names)
    for name in names:
        assert client.get(f"/media/{name}").status_code == 404, name
        assert not (media / name).exists()
        assert private_storage().exists(name)
    # The file a visitor could guess from the finding: a reply letter by its year and number.
    assert client.get("/media/letters/2026/").status_code == 404


def test_private_files_have_no_url(replied):
    with pytest.raises(ValueError, match="no URL"):
        replied["letter"].pdf.url  # noqa: B018
    with pytest.raises(ValueError, match="no URL"):
        replied["released"].file.url  # noqa: B018


# --- staff ------------------------------------------------------------------------------------


def test_staff_of_the_agency_download_the_bytes(client, office, replied):
    client.force_login(office["officer"])
    urls = staff_urls(replied)
    response = client.get(urls["file"])
    assert_private_download(response, ".png")
    assert content(response) == OTHER_PNG
    response = client.get(urls["pdf"])
    assert_private_download(response, ".pdf")
    letter = replied["letter"]
    # Named as the officer files it, in Chinese, RFC 5987-encoded.
    assert (
        f"filename*=utf-8''{quote(letter.number + letter.title)}.pdf"
        in (response["Content-Disposition"])
    )
    assert content(response) == replied["letter"].pdf.read()
    # Personal data leaving the system: each copy is in the audit trail.
    downloads = AuditEvent.objects.filter(verb="application.download").order_by("id")
    assert [(e.actor, e.object_id, e.after) for e in downloads] == [
        (office["officer"], str(replied["application"].pk), {"file": "内部.png"}),
        (
            office["officer"],
            str(replied["application"].pk),
            {"letter": f"{replied['letter'].number}{replied['letter'].title}.pdf"},
        ),
    ]


def test_staff_of_another_agency_and_visitors_get_nothing(client, office, replied):
    urls = staff_urls(replied)
    for url in urls.values():
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(office["other_officer"])
    for url in urls.values():
        assert client.get(url).status_code == 404


# --- the applicant ----------------------------------------------------------------------------


def test_the_applicant_downloads_only_with_the_unlocked_session(client, replied):
    urls = public_urls(replied)
    for url in urls.values():
        assert client.get(url).status_code == 404
    unlock(client, replied)
    response = client.get(urls["file"])
    assert_private_download(response, ".png")
    assert content(response) == PNG
    response = client.get(urls["docx"])
    assert_private_download(response, ".docx")
    assert content(response) == replied["letter"].docx.read()
    stranger = Client()
    for url in urls.values():
        assert stranger.get(url).status_code == 404


# --- production: nginx sends the bytes --------------------------------------------------------


def test_production_answers_with_x_accel_redirect(client, office, replied, settings):
    settings.DEBUG = False
    settings.GONGKAI_PRIVATE_ACCEL_PREFIX = ACCEL
    for name in stored_names(replied):  # nginx serves MEDIA_ROOT: nothing private is there
        assert not (settings.MEDIA_ROOT / name).exists()
    client.force_login(office["officer"])
    response = client.get(staff_urls(replied)["pdf"])
    assert_private_download(response, ".pdf")
    assert response["X-Accel-Redirect"] == ACCEL + quote(replied["letter"].pdf.name)
    assert response.content == b""

    applicant = Client()
    assert "X-Accel-Redirect" not in applicant.get(public_urls(replied)["file"])
    unlock(applicant, replied)
    response = applicant.get(public_urls(replied)["file"])
    assert_private_download(response, ".png")
    assert response["X-Accel-Redirect"] == ACCEL + quote(replied["released"].file.name)

    private_storage().delete(replied["released"].file.name)
    assert applicant.get(public_urls(replied)["file"]).status_code == 404


# --- moving the files stored before ---------------------------------------------------------


def put_back_under_media(replied) -> list[str]:
    """The layout before the private storage: the same names under MEDIA_ROOT."""
    names = stored_names(replied)
    for name in names:
        with private_storage().open(name, "rb") as handle:
            default_storage.save(name, ContentFile(handle.read()))
        private_storage().delete(name)
    return names


def test_the_migration_moves_the_files_stored_under_media(replied, media):
    names = put_back_under_media(replied)
    migration = importlib.import_module("gongkai.applications.migrations.0005_private_storage")
    migration.move_files(apps, None)
    for name in names:
        assert not (media / name).exists() and private_storage().exists(name)


def move_command() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("files", "move-private", stdout=out)
    return out.getvalue()


def test_the_command_moves_files_and_orphans_and_can_run_again(replied, media):
    names = put_back_under_media(replied)
    expected = {name: default_storage.open(name).read() for name in names}
    orphan = default_storage.save("letters/2025/old-reply.pdf", ContentFile(b"%PDF orphan"))
    staged = default_storage.save("imports/" + "0" * 32, ContentFile(b"name,id\n"))  # an import
    badge = default_storage.save("portal/1/badge-logo.png", ContentFile(PNG))  # public

    out = move_command()
    assert f"{len(names) + 2} files moved" in out and f"moved {orphan}" in out
    assert private_storage().exists(staged) and not default_storage.exists(staged)
    for name, data in expected.items():
        assert not (media / name).exists()
        assert private_storage().open(name).read() == data
    assert private_storage().exists(orphan) and not default_storage.exists(orphan)
    assert default_storage.exists(badge) and not private_storage().exists(badge)
    assert not (media / "letters").exists() and not (media / "applications").exists()

    assert "0 files moved" in move_command()  # rerunnable

    # A run stopped between the copy and the removal left both copies: the public one goes.
    default_storage.save(names[0], ContentFile(expected[names[0]]))
    result = move_private_files(names)
    assert (result.moved, result.finished) == (0, 1) and not default_storage.exists(names[0])

    # A different file under the same name is never overwritten.
    default_storage.save(names[1], ContentFile(b"something else"))
    with pytest.raises(CommandError):
        move_command()
    assert private_storage().open(names[1]).read() == expected[names[1]]
    assert default_storage.exists(names[1])
