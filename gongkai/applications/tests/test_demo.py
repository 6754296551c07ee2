"""The demo applications: loaded through the services, idempotent, every status, overdue and
carried-over cases, appeals with every result, fees paid and lapsed."""

from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from gongkai.applications import selectors, services
from gongkai.applications.demo import APPLICATIONS, load_applications_demo
from gongkai.applications.models import Application, ApplicationEvent, Fee, Letter, Status
from gongkai.applications.outcomes import OutcomeFamily, family
from gongkai.applications.taxonomy import AppealKind, AppealResult, ApplicantType, IdType
from gongkai.core.demo import load_demo
from gongkai.core.models import Agency, AuditEvent
from gongkai.privacy.checks import id_check_ok, region_ok

pytestmark = pytest.mark.django_db

NOW = "2026-11-26 10:00 +0800"
# The applications submitted by NOW (the demo leaves out what comes after the day it is loaded).
LOADED = [app for app in APPLICATIONS if app.submitted <= NOW[:10]]


def counts():
    return {
        "applications": Application.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "letters": Letter.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
@time_machine.travel(NOW, tick=False)
def demo():
    load_demo()
    result = load_applications_demo()
    return {"result": result, "agency": Agency.objects.get(slug="liuheng")}


@time_machine.travel(NOW, tick=False)
def test_loading_twice_creates_nothing_new(demo):
    first = counts()
    assert demo["result"].created == len(LOADED) >= 30
    again = load_applications_demo()
    assert again.created == 0 and again.existing == len(LOADED)
    assert counts() == first


def test_every_status_is_present(demo):
    statuses = Counter(demo["agency"].applications.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert sum(statuses.values()) >= 30


def test_spread_over_2025_and_2026_with_numbers_in_date_order(demo):
    apps = list(demo["agency"].applications.order_by("submitted_at"))
    assert {app.year for app in apps} == {2018, 2025, 2026}
    for year in (2018, 2025, 2026):
        numbers = [app.number for app in apps if app.year == year]
        assert numbers == sorted(numbers)
        assert numbers[0] == f"YSQ-{year}-0001"


def test_overdue_and_near_due_are_flagged(demo):
    flags = Counter(demo["agency"].applications.values_list("flag", flat=True))
    assert flags["overdue"] >= 1
    overdue = demo["agency"].applications.filter(flag="overdue").first()
    assert overdue.is_open and overdue.due_on.isoformat() < "2026-11-26"
    # The tick that flagged them has nothing left to change.
    audits = AuditEvent.objects.filter(verb="application.flag").count()
    with time_machine.travel(NOW, tick=False):
        services.applications_tick()
    assert AuditEvent.objects.filter(verb="application.flag").count() == audits


def test_carried_over_from_2025(demo):
    agency = demo["agency"]
    carried = selectors.carried_over_from(agency, 2025)
    assert carried.count() >= 1
    assert all(app.received_on.year == 2025 for app in carried)
    for year in (2025, 2026):
        summary = selectors.year_summary(agency, year)
        for column in ApplicantType.values:
            assert (
                summary["new"][column] + summary["carried_in"][column]
                == summary["concluded"][column] + summary["carried_out"][column]
            )


def test_outcomes_appeals_consultations_extension_and_fees(demo):
    apps = demo["agency"].applications.all()
    families = {family(app.outcome) for app in apps if app.outcome}
    assert families == set(OutcomeFamily.values)
    appeals = [appeal for app in apps for appeal in app.appeals.all()]
    assert {appeal.kind for appeal in appeals} == set(AppealKind.values)
    assert {appeal.result for appeal in appeals} == set(AppealResult.values)
    assert any(app.consultations.exists() for app in apps)
    assert ApplicationEvent.objects.filter(application__in=apps, kind="extended").exists()
    fees = Fee.objects.filter(application__in=apps)
    assert fees.filter(paid_on__isnull=False).exists()
    assert apps.filter(outcome="no_payment").exists()
    assert apps.filter(on_the_spot=True).exists()


def test_applicants_are_fictional_and_valid(demo):
    for app in demo["agency"].applications.all():
        if app.id_type == IdType.RESIDENT_ID:
            assert app.id_number.startswith("330903") and region_ok(app.id_number[:6])
            assert id_check_ok(app.id_number)
        else:
            assert app.id_type == IdType.CREDIT_CODE


def test_the_demo_command_loads_applications_once(db):
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        first = StringIO()
        call_command("demo", stdout=first)
        total = Application.objects.count()
        second = StringIO()
        call_command("demo", stdout=second)
    assert total == len(LOADED) == Application.objects.count()
    assert f"Applications: {total} created, 0 already there." in first.getvalue()
    assert f"Applications: 0 created, {total} already there." in second.getvalue()


def test_2018_gives_the_seeds_figures(demo):
    # The seed: "受理依申请公开8件"; 统计表 三（一）8件, 4.信函申请数 8件, （二）申请办结数 8件,
    # （三）2.同意公开答复数 5件, 5.不属于本行政机关公开数 3件.
    agency = demo["agency"]
    received = selectors.received_in(agency, 2018)
    assert received.count() == 8
    assert set(received.values_list("channel", flat=True)) == {"post_signed"}
    assert selectors.concluded_in(agency, 2018).count() == 8
    legacy = selectors.outcome_rows(agency, 2018, fmt="legacy")
    assert {row: sum(cells.values()) for row, cells in legacy.items()} == {
        "三（三）2": 5,
        "三（三）5": 3,
    }
    assert selectors.carried_over_from(agency, 2018).count() == 0
