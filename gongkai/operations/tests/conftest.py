"""Fixtures of the operations tests: a town's disclosure office, an editor, an outsider."""

from dataclasses import dataclass
from datetime import date

import pytest

from gongkai.applications.models import Application, Fee
from gongkai.core.models import Role, User


@dataclass(frozen=True)
class People:
    officer: User
    head: User
    admin: User
    editor: User  # a catalogue editor: no access to operations records
    outsider: User  # the neighbouring town's officer
    supervisor: User  # reads the whole district


@pytest.fixture
def people(agency_tree, make_member) -> People:
    town = agency_tree["town"]
    return People(
        officer=make_member(town, Role.OFFICER, "lh-officer"),
        head=make_member(town, Role.OFFICE_HEAD, "lh-head"),
        admin=make_member(town, Role.AGENCY_ADMIN, "lh-admin"),
        editor=make_member(town, Role.EDITOR, "lh-editor"),
        outsider=make_member(agency_tree["other_town"], Role.OFFICER, "th-officer"),
        supervisor=make_member(agency_tree["district"], Role.SUPERVISOR, "pt-supervisor"),
    )


@pytest.fixture
def make_fee(db):
    """make_fee(agency, amount, paid_on) -> a paid fee of a fresh application (test data)."""
    counter = {"n": 0}

    def make(agency, amount: int, paid_on: date | None, notified_on: date | None = None):
        counter["n"] += 1
        application = Application.objects.create(
            agency=agency,
            number=f"T{counter['n']:04d}",
            year=(paid_on or notified_on or date(2026, 1, 1)).year,
            channel="in_person",
            applicant_type="natural_person",
            applicant_name="王小明",
            id_type="resident_id",
            id_number="330902199001011238",
            phone="13800138000",
            information="测试",
            delivery="email",
        )
        notified = notified_on or paid_on or date(2026, 1, 1)
        return Fee.objects.create(
            application=application,
            schedule="per_item",
            count=12,
            amount=amount,
            notified_on=notified,
            pay_by=notified,
            paid_on=paid_on,
        )

    return make
