"""Issue 17 (5): the result page of an online application is a receipt to print (回执) — number,
query code, what was asked, the legal time limit with the due date the legal clock gives if
receipt is confirmed that day — and its status link carries the number (never the code)."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from lxml import html as lxml_html

from gongkai.applications import clock
from gongkai.applications.models import Application
from gongkai.applications.tests.test_public import form_data, shown_code
from gongkai.core.selectors import current_work_calendar

pytestmark = pytest.mark.django_db

REQUEST = "六横镇2025年海塘加固工程的验收报告"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _receipt(response):
    tree = lxml_html.fromstring(response.content)
    (receipt,) = tree.xpath("//section[@id='receipt']")
    return tree, receipt


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        # RULES A.1: receipt on Monday 2026-09-28 → due 2026-10-30 (National Day skipped)
        ("2026-09-28 10:00 +0800", date(2026, 10, 30)),
        ("2026-03-02 10:00 +0800", date(2026, 3, 30)),
    ],
)
def test_the_receipt_holds_number_code_request_and_the_clock_due_date(client, office, moment, due):
    with time_machine.travel(moment, tick=False):
        response = client.post(
            reverse("portal:apply", args=["liuheng"]), form_data(information=REQUEST)
        )
        assert response.status_code == 200
        application = Application.objects.get()
        tree, receipt = _receipt(response)
        text = receipt.text_content()
        assert application.number in text
        code = shown_code(response)
        assert len(code) == 8 and code in text
        assert REQUEST in receipt.xpath(".//*[@data-testid='receipt-request']")[0].text_content()
        (marker,) = receipt.xpath(".//*[@data-due]")
        # the date the legal clock itself gives for receipt confirmed today
        computed = clock.due_date(date.fromisoformat(moment[:10]), current_work_calendar())
        assert marker.get("data-due") == computed.due_on.isoformat() == due.isoformat()
        assert due.isoformat() in text
        # the print button (shown by the script) and the print stylesheet's hooks
        assert tree.xpath("//button[@data-print]")
        # the status link fills in the number; the code never goes into a URL
        (link,) = tree.xpath("//a[contains(@class, 'status-link')]")
        assert link.get("href").endswith("?number=" + application.number)
        assert code not in link.get("href")


def test_the_decoy_receipt_looks_the_same(client, office):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        response = client.post(
            reverse("portal:apply", args=["liuheng"]),
            form_data(information=REQUEST, website="http://spam.example"),
        )
    assert not Application.objects.exists()
    _tree, receipt = _receipt(response)
    assert REQUEST in receipt.text_content()
    assert receipt.xpath(".//*[@data-due='2026-03-30']")


def test_the_status_form_takes_the_number_from_the_link(client, office):
    url = reverse("portal:application-status", args=["liuheng"])
    page = client.get(url + "?number=YSQ-2026-0007").content.decode()
    assert re.search(r'name="number"[^>]*value="YSQ-2026-0007"', page)
    # escaped, and cut to the field's length
    page = client.get(url + '?number="><script>x</script>').content.decode()
    assert "<script>x</script>" not in page
