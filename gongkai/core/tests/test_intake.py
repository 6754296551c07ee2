"""The public intake kernel (gongkai.core.intake): submission tokens, the savepoint that
survives a double submission, look-up codes and their limiter, the honeypot and its decoy.

A 找错 report stands in for "a public record with a token and a code": any model with a
`submission_token` and a hash field would do."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import IntegrityError

from gongkai.core import intake, throttle
from gongkai.core.models import AuditEvent, ThrottleHit
from gongkai.engagement.models import ErrorReport

pytestmark = pytest.mark.django_db

RATE = throttle.Rate(scope="test.intake", limit=2, window=dt.timedelta(hours=1), message="slow")
CODE = intake.LookupCode(purpose="test.intake-code", field="check_code_hash")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-06-30 10:00 +0800", tick=False) as traveller:
        yield traveller


def report(agency, serial: int, token: str = "") -> ErrorReport:
    return ErrorReport.objects.create(
        agency=agency,
        reference=f"ZC-2026-{serial:04d}",
        year=2026,
        serial=serial,
        error_type="link",
        description="链接打不开",
        submission_token=token,
    )


# --- tokens ---------------------------------------------------------------------------------


def test_tokens_are_fresh_and_fit_the_column():
    tokens = {intake.new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) <= intake.TOKEN_MAX_LENGTH for token in tokens)
    field = intake.token_field()
    assert not field.required and field.max_length == intake.TOKEN_MAX_LENGTH


def test_find_submitted_matches_only_a_given_token_of_the_queryset(town, other_town):
    mine = report(town, 1, token="t-1")
    report(town, 2)  # no token
    report(other_town, 1, token="t-1")
    queryset = ErrorReport.objects.filter(agency=town)
    assert intake.find_submitted(queryset, "t-1") == mine
    assert intake.find_submitted(queryset, "") is None  # no token never matches
    assert intake.find_submitted(queryset, "t-2") is None


def test_register_once_counts_the_submission_against_the_rate(town):
    created = intake.register_once(
        register=lambda: report(town, 1, token="t-1"),
        queryset=ErrorReport.objects.filter(agency=town),
        token="t-1",
        again=lambda first: ("again", first),
        rate=RATE,
        ip="203.0.113.7",
    )
    assert created.reference == "ZC-2026-0001"
    assert ThrottleHit.objects.filter(scope=RATE.scope).count() == 1


def test_a_raced_double_submission_answers_the_first_record(town):
    """The second request passed find_submitted before the first committed: the unique
    constraint on (agency, token) fails inside the savepoint and the first record answers."""
    first = report(town, 1, token="t-1")
    answer = intake.register_once(
        register=lambda: report(town, 2, token="t-1"),
        queryset=ErrorReport.objects.filter(agency=town),
        token="t-1",
        again=lambda existing: ("again", existing),
        rate=RATE,
        ip="203.0.113.7",
    )
    assert answer == ("again", first)
    assert ErrorReport.objects.count() == 1  # the savepoint rolled the duplicate back
    assert not ThrottleHit.objects.exists()  # nothing was taken, nothing counted


def test_another_integrity_error_is_raised(town):
    report(town, 1)
    with pytest.raises(IntegrityError):
        intake.register_once(
            register=lambda: report(town, 1, token="t-9"),  # the serial is taken
            queryset=ErrorReport.objects.filter(agency=town),
            token="t-9",
            again=lambda existing: existing,
        )


# --- look-up codes --------------------------------------------------------------------------


def test_a_code_is_stored_only_as_its_keyed_hash(town):
    record = report(town, 1)
    code = CODE.issue(record)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)
    record.refresh_from_db()
    assert record.check_code_hash and code not in record.check_code_hash
    assert CODE.matches(record, code) and CODE.matches(record, f" {code.lower()} ")
    assert not CODE.matches(record, "AAAAAAAA")
    other_purpose = intake.LookupCode(purpose="test.other", field="check_code_hash")
    assert not other_purpose.matches(record, code)


def test_lookup_counts_failures_and_then_refuses(town, frozen):
    record = report(town, 1)
    code = CODE.issue(record)
    failures = []

    def look_up(given: str, ip: str = "203.0.113.7"):
        return intake.lookup(
            rate=RATE,
            ip=ip,
            find=lambda: record,
            code=given,
            kind=CODE,
            failed=failures.append,
        )

    assert look_up(code) == record
    assert not ThrottleHit.objects.exists()  # a success is not counted
    for _ in range(RATE.limit):
        assert look_up("AAAAAAAA") is None
    assert failures == [record] * RATE.limit
    with pytest.raises(throttle.RateLimited):
        look_up(code)  # even the right code
    assert look_up(code, ip="203.0.113.8") == record
    frozen.shift(3601)
    assert look_up(code) == record


def test_lookup_of_no_record_is_a_failure(town):
    failures = []
    found = intake.lookup(
        rate=RATE, ip="203.0.113.7", find=lambda: None, code="X", kind=CODE, failed=failures.append
    )
    assert found is None and failures == [None]
    assert ThrottleHit.objects.count() == 1


# --- the honeypot and the decoy -------------------------------------------------------------


def test_only_a_filled_honeypot_is_a_robot():
    assert not intake.is_robot(None) and not intake.is_robot("") and not intake.is_robot("  ")
    assert intake.is_robot("http://spam.example")
    field = intake.honeypot_field(tabindex="-1")
    assert not field.required and field.widget.attrs["tabindex"] == "-1"


def test_the_decoy_looks_like_a_success_stores_nothing_and_is_recorded(town):
    serials = []

    def number(serial: int) -> str:
        serials.append(serial)
        return f"N-{serial:04d}"

    decoy = intake.decoy_answer(agency=town, form="test.form", ip="203.0.113.7", number=number)
    assert 1 <= serials[0] <= intake.DECOY_SERIALS
    assert decoy.number == f"N-{serials[0]:04d}"
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", decoy.code)
    assert not ErrorReport.objects.exists()
    event = AuditEvent.objects.get(verb=intake.DECOY_VERB)
    assert event.agency == town and event.actor is None
    assert event.after["form"] == "test.form" and event.after["ip_hash"]
    assert "203.0.113.7" not in str(event.after) and decoy.code not in str(event.after)
