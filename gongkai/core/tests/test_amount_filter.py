"""Amounts are shown as amounts: 1.80, not 1.80000000000000 (SQLite's float sum of decimals)."""

from decimal import Decimal

import pytest

from gongkai.core.templatetags.core_text import amount


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1.80000000000000"), "1.80"),
        (Decimal("1.8000"), "1.80"),
        (Decimal("0.0180"), "0.018"),
        (Decimal("12"), "12.00"),
        (Decimal("1E+1"), "10.00"),
        (Decimal("0.00009999999"), "0.0001"),
        (1.8, "1.80"),
        (180, "180.00"),
        (None, ""),
        ("—", "—"),
    ],
)
def test_amounts_as_people_write_them(value, shown):
    assert amount(value) == shown


def test_places_can_be_asked():
    assert amount(Decimal("3"), 0) == "3"
    assert amount(Decimal("3.5"), 0) == "3.5"


@pytest.mark.django_db
def test_a_years_funds_are_summed_to_the_stored_precision(agency_tree):
    from gongkai.operations import selectors, services

    town = agency_tree["town"]
    for part in ("0.6", "0.6", "0.6"):
        services.fund_create(
            actor=None, agency=town, year=2025, amount_wan=Decimal(part), purpose="公开平台运维"
        )
    total = selectors.funds_wan(town, 2025)
    assert total == Decimal("1.8")
    assert str(total) == "1.8000"
