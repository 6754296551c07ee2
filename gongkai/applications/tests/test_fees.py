"""信息处理费 (国办函〔2020〕109号, RULES C §4): both schedules at every band edge, the worked
examples, the marginal per-item charge from real applications, and one notice per application."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from gongkai.applications import fees, services
from gongkai.applications.models import Fee, Status
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent

# --- pure schedules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "amount"),
    [
        (0, 0),
        (1, 0),
        (10, 0),  # 1–10 free
        (11, 100),  # 11th at 100
        (30, 2000),  # 11–30: 20 × 100
        (31, 2200),  # + 31st at 200
        (35, 3000),  # RULES C §4 worked example: 2000 + 5 × 200
        (40, 4000),  # 2000 + 10 × 200
        (41, 4300),  # + 41st at 300
        (51, 7400),  # 4000 + 10 × 300 + 51st at 400
    ],
)
def test_per_item_amounts(count, amount):
    assert fees.per_item(count).amount == amount


@pytest.mark.parametrize(
    ("pages", "amount"),
    [
        (0, 0),
        (30, 0),  # 1–30 free
        (31, 10),  # 31st page at 10
        (100, 700),  # 31–100: 70 × 10
        (101, 720),  # + 101st at 20
        (120, 1100),  # RULES C §4 worked example: 700 + 20 × 20
        (200, 2700),  # 700 + 100 × 20
        (201, 2740),  # + 201st at 40
        (250, 4700),  # 2700 + 50 × 40
    ],
)
def test_per_page_amounts(pages, amount):
    assert fees.per_page(pages).amount == amount


def test_per_item_breakdown_at_41():
    quote = fees.per_item(41)
    assert [(b.first, b.last, b.rate, b.units, b.amount) for b in quote.bands] == [
        (1, 10, 0, 10, 0),
        (11, 30, 100, 20, 2000),
        (31, 40, 200, 10, 2000),
        (41, 50, 300, 1, 300),
    ]


def test_per_page_breakdown_at_201():
    quote = fees.per_page(201)
    assert [(b.first, b.last, b.rate, b.units, b.amount) for b in quote.bands] == [
        (1, 30, 0, 30, 0),
        (31, 100, 10, 70, 700),
        (101, 200, 20, 100, 2000),
        (201, None, 40, 1, 40),
    ]


def test_breakdown_as_dict_sums_to_the_amount():
    data = fees.per_page(120).as_dict()
    assert data["schedule"] == "per_page" and data["count"] == 120
    assert data["amount"] == 1100 == sum(band["amount"] for band in data["bands"])
    assert [band["units"] for band in data["bands"]] == [30, 70, 20]


def test_free_bands_only_below_the_threshold():
    assert [b.rate for b in fees.per_item(10).bands] == [0]
    assert [b.rate for b in fees.per_page(30).bands] == [0]


def test_negative_counts_and_unknown_schedules_are_refused():
    with pytest.raises(ValueError):
        fees.per_item(-1)
    with pytest.raises(ValueError):
        fees.quote("per_kilo", 3)


# --- the marginal per-item charge from real applications -----------------------------------


def _register_month(office, count: int, *, month: int = 3, **overrides) -> list:
    """`count` applications of one applicant, registered in person through March 2026."""
    apps = []
    start = datetime(2026, month, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    for n in range(count):
        at = start + timedelta(hours=n)
        apps.append(
            services.application_submit(
                agency=office["agency"],
                data=person(information=f"第{n + 1}件：六横镇工程资料", **overrides),
                channel="in_person",
                actor=office["officer"],
                received_on=timezone.localdate(at),
                submitted_at=at,
            ).application
        )
    return apps


@pytest.mark.django_db
@time_machine.travel("2026-04-30 10:00 +0800", tick=False)
def test_per_item_charges_the_marginal_band_of_the_month(office):
    apps = _register_month(office, 31)
    charge = {
        n: services.fee_quote(apps[n - 1], schedule="per_item")[0] for n in (1, 10, 11, 30, 31)
    }
    assert charge == {1: 0, 10: 0, 11: 100, 30: 100, 31: 200}
    amount, breakdown = services.fee_quote(apps[30], schedule="per_item")
    assert breakdown["charged_unit"] == 31 and breakdown["amount"] == 200
    assert breakdown["count"] == 31


@pytest.mark.django_db
@time_machine.travel("2026-04-30 10:00 +0800", tick=False)
def test_per_item_counts_one_applicant_in_one_calendar_month(office):
    apps = _register_month(office, 11)
    # Another person's application in the same month, and the same person's in April, start
    # their own counts.
    other = _register_month(office, 1, id_number="330902198502031232")[0]
    april = _register_month(office, 1, month=4)[0]
    assert services.fee_quote(apps[10], schedule="per_item")[0] == 100
    assert services.fee_quote(other, schedule="per_item")[0] == 0
    assert services.fee_quote(april, schedule="per_item")[0] == 0


@pytest.mark.django_db
@time_machine.travel("2026-04-30 10:00 +0800", tick=False)
def test_no_fee_notice_when_nothing_is_due(office):
    app = _register_month(office, 1)[0]
    with pytest.raises(ValidationError):
        services.fee_notify(actor=office["officer"], application=app, schedule="per_item")
    with pytest.raises(ValidationError):
        services.fee_notify(actor=office["officer"], application=app, schedule="per_page", pages=30)
    assert not Fee.objects.exists()


@pytest.mark.django_db
def test_a_second_fee_notice_on_one_application_is_refused(office):
    officer = office["officer"]
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        app = _register_month(office, 1)[0]
        fee = services.fee_notify(actor=officer, application=app, schedule="per_page", pages=120)
    assert fee.amount == 1100 and fee.schedule == "per_page"
    assert fee.breakdown["bands"][-1] == {
        "first": 101,
        "last": 200,
        "rate": 20,
        "units": 20,
        "amount": 400,
    }
    # 20 working days from 03-02: 03-30.
    assert fee.pay_by == date(2026, 3, 30)
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        # Still unpaid: no step of that kind exists while awaiting payment.
        with pytest.raises(services.WorkflowError):
            services.fee_notify(actor=officer, application=app, schedule="per_item")
        services.fee_record_payment(actor=officer, application=app, receipt_number="R-1")
        app.refresh_from_db()
        assert app.status == Status.PROCESSING
        # Paid and back in processing: a second notice, under the other schedule, is refused.
        with translation.override("en"), pytest.raises(services.WorkflowError) as caught:
            services.fee_notify(actor=officer, application=app, schedule="per_item")
    assert "once" in str(caught.value)
    assert Fee.objects.filter(application=app).count() == 1
    assert Fee.objects.get(application=app).schedule == "per_page"
    assert AuditEvent.objects.filter(verb="application.fee_notify").count() == 1
