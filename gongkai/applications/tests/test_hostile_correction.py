"""The citizen's 补正 files on the public status page go through the safe reader: an archive bomb
is refused fast, in little memory, with a Chinese message on the form, and nothing is stored,
not even the good file sent with it."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import ApplicationFile, Status
from gongkai.applications.tests.conftest import person
from gongkai.catalogue.tests.factories import make_png
from gongkai.core.tests import hostile

pytestmark = pytest.mark.django_db

MB = 2**20
SECONDS, PEAK = 2.0, 200 * MB


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT, settings.GONGKAI_PRIVATE_ROOT


@pytest.fixture
def correcting(client, office):
    """An application asked for a 补正, its status page unlocked in `client`."""
    result = services.application_submit(agency=office["agency"], data=person(), ip="10.9.9.9")
    application = result.application
    services.application_confirm_receipt(actor=office["officer"], application=application)
    services.application_request_correction(
        actor=office["officer"], application=application, items="请说明工程名称"
    )
    status = reverse("portal:application-status", args=["liuheng"])
    client.post(status, {"number": application.number, "code": result.query_code})
    assert client.get(status).status_code == 200  # templates compiled before the measure
    return application


def test_the_docx_bomb_is_refused_on_the_status_page(client, correcting, roots):
    uploads = [
        SimpleUploadedFile("工程名称.png", make_png(), "image/png"),
        SimpleUploadedFile("补正材料.docx", hostile.docx_bomb()),  # 1 GiB inside
    ]
    target = reverse("portal:application-correction", args=["liuheng"])
    with hostile.measured() as cost:
        response = client.post(target, {"text": "海塘加固工程（二期）", "files": uploads})
    assert response.status_code == 400
    assert "“补正材料.docx”中的“word/document.xml”解压后超过 50 MB，无法安全读取。" in (
        response.content.decode()
    )
    assert cost.seconds < SECONDS and cost.peak_bytes < PEAK, cost
    correcting.refresh_from_db()
    assert correcting.status == Status.CORRECTION
    assert not ApplicationFile.objects.exists()
    assert hostile.files_under(*roots) == []  # the good file was not kept either


@pytest.mark.parametrize(
    "name, make",
    [
        ("方案.docx", hostile.ratio_bomb),
        ("说明.docx", hostile.declared_size_lie),
        ("照片.png", hostile.png_bomb),
    ],
    ids=["ratio", "declared-size-lie", "pixels"],
)
def test_other_hostile_files_store_nothing(correcting, roots, name, make):
    with pytest.raises(services.ValidationError):
        services.application_receive_correction(
            application=correcting, text="", uploads=[("a.png", make_png()), (name, make())]
        )
    assert not ApplicationFile.objects.exists()
    assert hostile.files_under(*roots) == []
