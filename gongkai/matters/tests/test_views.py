"""Staff pages (scoped, forms, workflow) and the public 办事指南 pages."""

import pytest
from django.urls import reverse

from gongkai.catalogue.models import ItemStatus
from gongkai.core.models import AuditEvent, Task, TaskStatus
from gongkai.core.tasks import run_task
from gongkai.matters.models import Matter, MatterStatus, StarCriterion

from .conftest import matter_fields


def staff(client, user):
    client.force_login(user)
    return client


def form_data(sectors, **changes):
    data = {
        key: value
        for key, value in matter_fields(**changes).items()
        if value is not None and value is not False
    }
    data["sector"] = sectors["商事登记"].pk
    data["no_difference"] = "on"
    data.update(
        {
            "materials-TOTAL_FORMS": "2",
            "materials-INITIAL_FORMS": "0",
            "materials-0-name": "申请表",
            "materials-0-copies": "1",
            "materials-0-form": "original",
            "materials-0-required": "on",
            "materials-1-name": "",
            "materials-1-copies": "1",
            "materials-1-form": "original",
        }
    )
    return data


def test_list_is_scoped_and_filtered(client, make_matter, people, django_assert_max_num_queries):
    for n in range(5):
        make_matter(code=f"A{n}", star=5 if n % 2 else 3)
    staff(client, people.editor)
    url = reverse("matters:matter-list", args=["liuheng"])
    with django_assert_max_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("个体工商户设立登记") == 5
    response = client.get(url, {"star": "5"})
    assert response.content.decode().count("个体工商户设立登记") == 2
    staff(client, people.outsider)
    assert client.get(url).status_code == 404


def test_create_with_materials_then_publish(client, people, sectors, town):
    staff(client, people.editor)
    response = client.post(reverse("matters:matter-create", args=["liuheng"]), form_data(sectors))
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert [m.name for m in matter.materials.all()] == ["申请表"]

    detail = reverse("matters:matter-detail", args=["liuheng", matter.pk])
    publish = reverse("matters:matter-publish", args=["liuheng", matter.pk])
    assert "publish-check_secrecy" not in client.get(detail).content.decode()  # four eyes
    assert client.post(publish, {}).status_code in (400, 403)

    staff(client, people.reviewer)
    assert "publish-check_secrecy" in client.get(detail).content.decode()
    response = client.post(publish, {"publish-check_secrecy": "on"})
    assert response.status_code == 400  # every check is needed
    checks = {f"publish-check_{c}": "on" for c in ("secrecy", "privacy", "wording")}
    assert client.post(publish, checks).status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.PUBLISHED
    assert matter.item.status == ItemStatus.PUBLISHED


def test_create_shows_service_errors_on_the_form(client, people, sectors):
    staff(client, people.editor)
    data = form_data(sectors, statutory_days=5, promised_days=9)
    response = client.post(reverse("matters:matter-create", args=["liuheng"]), data)
    assert response.status_code == 400
    assert not Matter.objects.exists()


def test_edit_retire_reopen(client, make_matter, people, sectors):
    matter = make_matter("published")
    staff(client, people.editor)
    url = reverse("matters:matter-edit", args=["liuheng", matter.pk])
    assert client.get(url).status_code == 200
    data = form_data(sectors, name="个体工商户设立登记（告知承诺）")
    data["materials-INITIAL_FORMS"] = "0"
    assert client.post(url, data).status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DRAFT and matter.name.endswith("（告知承诺）")

    staff(client, people.reviewer)
    retire = reverse("matters:matter-retire", args=["liuheng", matter.pk])
    assert client.post(retire, {"retire-reason": ""}).status_code == 400
    assert client.post(retire, {"retire-reason": "事项取消"}).status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.RETIRED
    staff(client, people.editor)
    reopen = reverse("matters:matter-reopen", args=["liuheng", matter.pk])
    assert client.post(reopen).status_code == 302


def test_statistics_page(client, make_matter, people):
    make_matter("published")
    staff(client, people.supervisor)
    response = client.get(reverse("matters:statistics", args=["liuheng"]))
    assert response.status_code == 200
    assert 'data-figure="total">1<' in response.content.decode()
    response = client.get(reverse("matters:statistics", args=["liuheng"]), {"year": "2018"})
    assert 'data-figure="total">0<' in response.content.decode()


def test_configuration(client, people, town):
    staff(client, people.officer)
    url = reverse("matters:configuration", args=["liuheng"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"stars-submit": "1", "stars-star_5": "全程网办，零跑腿"})
    assert response.status_code == 302
    assert StarCriterion.objects.get(agency=town, star=5).text == "全程网办，零跑腿"
    staff(client, people.editor)
    assert client.get(url).status_code == 403


def test_import_preview_then_confirm(
    client, people, sectors, private_root, django_capture_on_commit_callbacks
):
    staff(client, people.editor)
    url = reverse("matters:matter-import", args=["liuheng"])
    data = "事项编码,事项名称,事项类型\nLH-9,车船税申报,其他行政权力\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"file": SimpleUploadedFile("m.csv", data, "text/csv")})
    assert response.status_code == 200
    assert not Matter.objects.exists()
    digest = response.context["confirm_form"].initial["sha256"]
    confirm = reverse("matters:matter-import-confirm", args=["liuheng"])
    with django_capture_on_commit_callbacks(execute=True):  # the import task runs (eager)
        queued = client.post(confirm, {"sha256": digest})
    assert queued.status_code == 302
    task = Task.objects.get(name="matters.import_matters")
    assert queued.headers["Location"] == reverse(
        "matters:matter-import-run", args=["liuheng", task.pk]
    )
    assert Matter.objects.get().code == "LH-9"
    assert task.status == TaskStatus.DONE and task.progress == "1 / 1"
    page = client.get(queued.headers["Location"])
    assert page.status_code == 200 and "Refresh" not in page.headers
    assert page.context["created"] == 1 and 'id="import-done"' in page.content.decode()
    assert client.post(confirm, {"sha256": digest}).status_code == 400  # used once
    # a rerun of the finished import changes nothing
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.QUEUED)
    assert run_task(task.pk).status == TaskStatus.DONE
    assert Matter.objects.count() == 1
    assert AuditEvent.objects.filter(verb="matter.import").count() == 1
    staff(client, people.officer)  # another author: not theirs to see
    assert client.get(queued.headers["Location"]).status_code == 404


# --- public ----------------------------------------------------------------------------------


def test_public_list_and_detail(client, make_matter, town, sectors):
    StarCriterion.objects.create(agency=town, star=4, text="全程网办或快递送达")
    published = make_matter("published")
    draft = make_matter(code="D", name="未发布的事项")
    response = client.get(reverse("portal:service-guides", args=["liuheng"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "个体工商户设立登记" in page and "未发布的事项" not in page and "四星" in page
    response = client.get(reverse("portal:service-guides", args=["liuheng"]), {"type": "benefit"})
    assert "个体工商户设立登记" not in response.content.decode()

    detail = client.get(reverse("portal:service-guide", args=["liuheng", published.pk]))
    page = detail.content.decode()
    assert "★★★★☆ 四星" in page and "全程网办或快递送达" in page
    assert "授权委托书" in page and "原件和复印件" in page
    assert "csrfmiddlewaretoken" not in page
    assert (
        client.get(reverse("portal:service-guide", args=["liuheng", draft.pk])).status_code == 404
    )
    assert (
        client.get(reverse("portal:service-guide", args=["taohua", published.pk])).status_code
        == 404
    )


def test_a_guide_under_revision_shows_its_published_version(client, make_matter, people):
    from gongkai.matters import services

    matter = make_matter("published")
    services.matter_update(actor=people.editor, matter=matter, data={"name": "新名称"})
    response = client.get(reverse("portal:service-guide", args=["liuheng", matter.pk]))
    assert response.status_code == 302
    assert response.url == reverse("portal:item", args=["liuheng", matter.item_id])


def test_a_retired_guide_is_gone(client, make_matter):
    matter = make_matter("retired")
    response = client.get(reverse("portal:service-guide", args=["liuheng", matter.pk]))
    assert response.status_code == 410


@pytest.mark.parametrize("name", ["portal:service-guides"])
def test_the_portal_links_the_section(client, name, make_matter):
    from gongkai.core.sites import optional_url

    assert optional_url(name, make_matter().agency) == "/gk/liuheng/guides/"
