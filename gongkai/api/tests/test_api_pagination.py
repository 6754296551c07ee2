"""Every paginated list of the API refuses (400, on `page`) a page number past what a
database can offset."""

import re

import pytest

from gongkai.api.api import api
from gongkai.api.pagination import PAGE_MAX
from gongkai.core.models import Role


def paginated_lists() -> list[str]:
    """The GET operations whose query takes `page`, from the OpenAPI schema (a new list is
    checked without being named here)."""
    paths = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        if any(p["in"] == "query" and p["name"] == "page" for p in parameters):
            paths.append(path)
    return sorted(paths)


LISTS = paginated_lists()


def test_the_lists_are_found():
    assert "/api/v1/catalogue/items" in LISTS
    assert "/api/v1/matters/public/guides" in LISTS
    assert len(LISTS) >= 15


@pytest.mark.parametrize("page", ["99999999999999999999", "9223372036854775807", PAGE_MAX + 1])
def test_an_absurd_page_is_refused_not_a_server_error(client, staff, town, page):
    officer = staff(town, Role.OFFICER)
    failures = []
    for path in LISTS:
        url = re.sub(r"\{agency\}", town.slug, path)
        try:
            response = client.get(url, {"page": page}, **officer.headers)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises a view's error
            failures.append(f"{url}?page={page} → {type(exc).__name__}: {exc}")
            continue
        if response.status_code != 400 or "page" not in response.json()["errors"]:
            failures.append(f"{url}?page={page} → {response.status_code}")
    assert failures == []


def test_the_last_allowed_page_is_an_empty_page(client, staff, town):
    officer = staff(town, Role.OFFICER)
    response = client.get(
        "/api/v1/catalogue/items", {"page": PAGE_MAX, "page_size": 100}, **officer.headers
    )
    assert response.status_code == 200
    assert response.json()["items"] == []
