"""The narrative editor's server side: the figures the page gives the editor (key, label, value),
the service refusing a token of a cell the format does not have, and the staff page keeping
the officer's refused text in the form (the textarea fallback without JavaScript)."""

import json
import re
from html import unescape

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.core.models import AuditEvent, Role
from gongkai.reports import services
from gongkai.reports.formats import get
from gongkai.reports.narrative import token
from gongkai.reports.narrative_editor import cell_label, figures

pytestmark = pytest.mark.django_db
YEAR = 2025
NEW = "一、本年新收政府信息公开申请数量|总计"
GENERAL = "一、总体情况"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False):
        yield


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def officer(town, make_member):
    return make_member(town, Role.OFFICER)


@pytest.fixture
def report(town, officer):
    return services.report_start(actor=officer, agency=town, year=YEAR, fmt="2021")


def test_cell_labels_name_the_table_row_and_column():
    fmt = get("2021")
    assert cell_label(fmt, NEW) == "表三 · 一、本年新收政府信息公开申请数量 · 总计"
    assert cell_label(fmt, "规章|现行有效件数") == "表二（一） · 规章 · 现行有效件数"
    assert (
        cell_label(fmt, "行政诉讼|复议后起诉|尚未审结") == "表四 · 行政诉讼 · 复议后起诉 · 尚未审结"
    )
    pre = get("pre2019")
    assert cell_label(pre, "六、举报投诉数量|统计数") == "统计表 · 六、举报投诉数量 · 统计数"


def test_figures_give_every_cell_with_the_figure_the_text_quotes():
    fmt = get("2021")
    cells = dict.fromkeys(fmt.cell_keys())
    cells[NEW] = 74
    listed = figures(fmt, cells)
    assert [f["key"] for f in listed] == fmt.cell_keys()
    by_key = {f["key"]: f for f in listed}
    assert by_key[NEW] == {
        "key": NEW,
        "label": "表三 · 一、本年新收政府信息公开申请数量 · 总计",
        "value": "74",
    }
    assert by_key["规章|现行有效件数"]["value"] == "0"  # a blank cell reads as 0, as rendered


def test_the_service_refuses_a_token_of_no_cell_and_keeps_the_stored_text(report, officer):
    report = services.report_narrative_set(
        actor=officer, report=report, narrative={GENERAL: f"新收{token(NEW)}件。"}
    )
    with pytest.raises(ValidationError) as refused:
        services.report_narrative_set(
            actor=officer,
            report=report,
            narrative={GENERAL: f"新收{token(NEW)}件，办结{token('不存在|总计')}件。"},
        )
    assert "不存在|总计" in " ".join(refused.value.messages)
    assert GENERAL in " ".join(refused.value.messages)
    report.refresh_from_db()
    assert report.narrative == {GENERAL: f"新收{token(NEW)}件。"}
    assert AuditEvent.objects.filter(verb="report.narrative_set").count() == 1


def _textarea(page: str, title: str) -> tuple[str, str]:
    """(the textarea's attributes, its text) of the section form titled ``title``."""
    form = re.search(
        r'name="section" value="' + re.escape(title) + r'">.*?<textarea([^>]*)>(.*?)</textarea>',
        page,
        re.S,
    )
    assert form, title
    return form.group(1), unescape(form.group(2))


def test_the_page_gives_the_editor_its_figures_and_keeps_a_refused_text(
    report, officer, town, client
):
    client.force_login(officer)
    url = reverse("reports:report", args=[town.slug, YEAR])
    services.report_narrative_set(
        actor=officer, report=report, narrative={GENERAL: f"新收{token(NEW)}件。"}
    )
    page = client.get(url).content.decode()
    data = re.search(r'<script id="narrative-figures" type="application/json">(.*?)</script>', page)
    listed = json.loads(data.group(1))
    assert len(listed) == len(get("2021").cell_keys())
    assert {
        "key": NEW,
        "label": "表三 · 一、本年新收政府信息公开申请数量 · 总计",
        "value": "0",
    } in (listed)
    assert "gongkai/narrative.js" in page and 'id="narrative-picker-template"' in page
    # without JavaScript the textarea holds the markup
    assert _textarea(page, GENERAL)[1] == f"新收{token(NEW)}件。"

    refused = f"新收{token(NEW)}件，另有{token('表五|合计')}件待补。"
    response = client.post(
        reverse("reports:narrative-set", args=[town.slug, YEAR]),
        {"section": GENERAL, "text": refused},
        follow=True,
    )
    page = response.content.decode()
    attributes, text = _textarea(page, GENERAL)
    assert text == refused  # nothing the officer wrote is lost
    assert 'aria-invalid="true"' in attributes and "aria-describedby" in attributes
    assert page.count("表五|合计") >= 2  # the message at the top and the one by the field
    report.refresh_from_db()
    assert report.narrative == {GENERAL: f"新收{token(NEW)}件。"}
    # shown once: the next visit shows the stored text again
    assert _textarea(client.get(url).content.decode(), GENERAL)[1] == f"新收{token(NEW)}件。"
