"""A report's year in the API's path is 1900–2100: others are refused (400), not computed."""

import pytest

from gongkai.core.models import Role


@pytest.mark.parametrize("year", ["0", "-5", "1899", "9999", "2101", "99999999999999999999"])
def test_a_year_out_of_range_is_refused(client, staff, town, year):
    officer = staff(town, Role.OFFICER)
    failures = []
    for url in [
        f"/api/v1/reports/{town.slug}/{year}/2021",
        f"/api/v1/reports/public/{town.slug}/{year}",
    ]:
        try:
            response = client.get(url, **officer.headers)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises a view's error
            failures.append(f"{url} → {type(exc).__name__}: {exc}")
            continue
        if response.status_code != 400 or "year" not in response.json()["errors"]:
            failures.append(f"{url} → {response.status_code}")
    assert failures == []


def test_a_year_in_range_is_computed(client, staff, town):
    officer = staff(town, Role.OFFICER)
    response = client.get(f"/api/v1/reports/{town.slug}/2025/2021", **officer.headers)
    assert response.status_code == 200
    assert response.json()["year"] == 2025
