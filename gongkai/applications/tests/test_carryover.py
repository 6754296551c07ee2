"""Carry-over between report years (表三 二 and 四) and the outcome rows per report format."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from gongkai.applications import selectors, services
from gongkai.applications.demo import demo_credit_code
from gongkai.applications.outcomes import Outcome
from gongkai.applications.taxonomy import ApplicantType
from gongkai.applications.tests.conftest import person

pytestmark = pytest.mark.django_db

D = date.fromisoformat
COMPANY = {
    "applicant_type": "commercial",
    "applicant_name": "舟山演示海运有限公司",
    "id_type": "credit_code",
    "id_number": demo_credit_code("MA2D0001X"),
    "contact_person": "郑经理",
}


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00").replace(tzinfo=timezone.get_current_timezone())


def register(office, day: str, **overrides):
    return services.application_submit(
        agency=office["agency"],
        data=person(**overrides),
        channel="in_person",
        actor=office["officer"],
        received_on=D(day),
        submitted_at=_at(day),
    ).application


@pytest.fixture
@time_machine.travel("2026-06-30 10:00 +0800", tick=False)
def cases(office):
    officer = office["officer"]
    company = COMPANY

    def reply(app, day, outcome=Outcome.DISCLOSED, reason=""):
        services.application_reply(
            actor=officer, application=app, outcome=outcome, reason=reason, on=D(day)
        )

    # Received and concluded in 2025.
    done_2025 = register(office, "2025-06-02")
    reply(done_2025, "2025-06-20")
    # Received 2025-12-30, concluded 2025-12-31: not carried over.
    last_day = register(office, "2025-12-30")
    reply(last_day, "2025-12-31", Outcome.NOT_EXIST, "经检索没有该信息")
    # Received in 2025, concluded in 2026: carried over.
    carried_person = register(office, "2025-12-15")
    reply(carried_person, "2026-01-12", Outcome.PARTIAL, "部分涉及个人隐私")
    carried_company = register(office, "2025-12-29", **company)
    reply(carried_company, "2026-01-20")
    # Received in 2025 and still open: carried over twice.
    open_company = register(office, "2025-12-31", **company)
    # Received in 2026.
    withdrawn = register(office, "2026-03-02")
    services.application_withdraw(
        actor=officer, application=withdrawn, on=D("2026-03-05"), note="撤回"
    )
    lapsed = register(office, "2026-04-01")
    services.application_request_correction(
        actor=officer, application=lapsed, items="请写明文件名称", on=D("2026-04-02")
    )
    # 10 working days from 04-02: 04-03 (1), 04-07…04-10 (2–5), 04-13…04-17 (6–10).
    services.application_lapse_correction(actor=officer, application=lapsed, on=D("2026-04-20"))
    open_2026 = register(office, "2026-06-01")
    # Registered online at the end of 2025, never confirmed: no receipt, in no count.
    services.application_submit(
        agency=office["agency"],
        data=person(),
        submitted_at=_at("2025-12-30"),
    )
    return {
        "done_2025": done_2025,
        "carried_person": carried_person,
        "carried_company": carried_company,
        "open_company": open_company,
        "withdrawn": withdrawn,
        "lapsed": lapsed,
        "open_2026": open_2026,
    }


def only(**counts) -> dict[str, int]:
    return {t: counts.get(t, 0) for t in ApplicantType.values}


def test_received_in_2025_concluded_in_2026_is_carried_over(office, cases):
    agency = office["agency"]
    carried = set(selectors.carried_over_from(agency, 2025))
    assert carried == {cases["carried_person"], cases["carried_company"], cases["open_company"]}
    y2025, y2026 = selectors.year_summary(agency, 2025), selectors.year_summary(agency, 2026)
    assert y2025["new"] == only(natural_person=3, commercial=2)
    assert y2025["concluded"] == only(natural_person=2)
    assert y2025["carried_out"] == only(natural_person=1, commercial=2)
    assert y2026["carried_in"] == y2025["carried_out"]
    assert y2026["new"] == only(natural_person=3)
    assert y2026["concluded"] == only(natural_person=3, commercial=1)
    assert y2026["carried_out"] == only(natural_person=1, commercial=1)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_one_scan_summary_counts_what_the_selectors_select(office, cases, year):
    agency = office["agency"]
    summary = selectors.year_summary(agency, year)
    rows = {
        "new": selectors.received_in(agency, year),
        "carried_in": selectors.carried_over_from(agency, year - 1),
        "concluded": selectors.concluded_in(agency, year),
        "carried_out": selectors.carried_over_from(agency, year),
    }
    for name, queryset in rows.items():
        for column in ApplicantType.values:
            assert summary[name][column] == queryset.filter(applicant_type=column).count()


@pytest.mark.parametrize("year", [2025, 2026])
def test_column_check_new_plus_carried_in_equals_concluded_plus_carried_out(office, cases, year):
    summary = selectors.year_summary(office["agency"], year)
    for column in ApplicantType.values:
        left = summary["new"][column] + summary["carried_in"][column]
        right = summary["concluded"][column] + summary["carried_out"][column]
        assert left == right, column
    assert sum(summary["new"].values()) > 0


@pytest.mark.parametrize("year", [2025, 2026])
def test_outcome_rows_total_the_concluded_column(office, cases, year):
    agency = office["agency"]
    concluded = selectors.year_summary(agency, year)["concluded"]
    for fmt in ("2021", "2019", "legacy"):
        rows = selectors.outcome_rows(agency, year, fmt=fmt)
        for column in ApplicantType.values:
            assert sum(row[column] for row in rows.values()) == concluded[column], (fmt, column)


def test_outcome_rows_per_format(office, cases):
    agency = office["agency"]
    y2026 = {
        fmt: selectors.outcome_rows(agency, 2026, fmt=fmt) for fmt in ("2021", "2019", "legacy")
    }
    # 2026: 部分公开 (person), 予以公开 (company), withdrawn = 其他, no correction = 逾期不补正.
    assert y2026["2021"] == {
        "三（二）": only(natural_person=1),
        "三（一）": only(commercial=1),
        "三（六）3": only(natural_person=1),
        "三（六）1": only(natural_person=1),
    }
    # 2019 has a single （六）其他处理 row.
    assert y2026["2019"] == {
        "三（二）": only(natural_person=1),
        "三（一）": only(commercial=1),
        "三（六）": only(natural_person=2),
    }
    # The pre-2019 table: 3.同意部分公开, 2.同意公开, 8.告知通过其他途径办理, 7.告知作出更改补充.
    assert y2026["legacy"] == {
        "三（三）3": only(natural_person=1),
        "三（三）2": only(commercial=1),
        "三（三）8": only(natural_person=1),
        "三（三）7": only(natural_person=1),
    }
    y2025 = selectors.outcome_rows(agency, 2025, fmt="legacy")
    # 信息不存在 counts as 6.申请信息不存在数 in the old table, （四）1 in 2021.
    assert y2025["三（三）6"] == only(natural_person=1)
    assert selectors.outcome_rows(agency, 2025)["三（四）1"] == only(natural_person=1)


def test_a_case_concluded_on_new_years_eve_is_not_carried(office, cases):
    agency = office["agency"]
    concluded_2025 = set(selectors.concluded_in(agency, 2025))
    assert cases["done_2025"] in concluded_2025
    assert not any(app.concluded_on and app.concluded_on.year == 2025 for app in
                   selectors.carried_over_from(agency, 2025))  # fmt: skip
