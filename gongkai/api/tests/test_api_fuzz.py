"""Fuzzing the API with schemathesis: every operation of the OpenAPI schema, called in-process
through Django's WSGI handler anonymously and with a staff token, must never answer 5xx.

Bounded for CI: GONGKAI_FUZZ_EXAMPLES cases per operation (10 by default), derandomized so a
run is repeatable; GONGKAI_FUZZ_RANDOM=1 draws new cases each run (for a longer search by hand:
`GONGKAI_FUZZ_EXAMPLES=200 GONGKAI_FUZZ_RANDOM=1 .venv/bin/pytest -m fuzz`).
"""

from __future__ import annotations

import os
import traceback
from collections import Counter
from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from gongkai.api import services as api_services
from gongkai.api.api import api
from gongkai.applications import services as application_services
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.core import services as core_services
from gongkai.core.models import Role
from gongkai.engagement import services as engagement_services

from ...applications.tests.conftest import person

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "10"))
RANDOM = os.environ.get("GONGKAI_FUZZ_RANDOM", "") == "1"
AGENCY = "liuheng"
CHECKS = catalogue_services.ReviewChecks(secrecy=True, privacy=True, wording=True)

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))

# The records of the running test (ids by path parameter), read by the hooks below so that some
# generated cases name objects that exist instead of 404-ing on every random id.
KNOWN: dict[str, list] = {}


def _known(name: str, value):
    """Half of the generated ids (chosen by the drawn value itself, so deterministically) are
    replaced by an id that exists; the others stay as generated."""
    choices = KNOWN.get(name)
    if not choices or not isinstance(value, int) or isinstance(value, bool) or value % 2:
        return value
    return choices[(value // 2) % len(choices)]


@schema.hook
def map_path_parameters(context, path_parameters):
    if path_parameters:
        for name, value in list(path_parameters.items()):
            if name == "agency" and isinstance(value, str) and len(value) % 2 == 0:
                path_parameters[name] = AGENCY
            else:
                path_parameters[name] = _known(name, value)
    return path_parameters


@schema.hook
def map_query(context, query):
    if query and isinstance(query.get("agency"), str) and len(query["agency"]) % 2 == 0:
        query["agency"] = AGENCY
    return query


@schema.hook
def map_body(context, body):
    if isinstance(body, dict):
        if isinstance(body.get("agency"), str) and len(body["agency"]) % 2 == 0:
            body["agency"] = AGENCY
        if "column" in body:
            body["column"] = _known("column", body["column"])
    return body


# Calls by (who, status class) and operations seen, printed at the end of the module (-s).
STATS: Counter = Counter()
OPERATIONS: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    if OPERATIONS:
        counts = ", ".join(f"{key[0]} {key[1]}: {n}" for key, n in sorted(STATS.items()))
        print(f"\nfuzz: {len(OPERATIONS)} operations, {sum(STATS.values())} calls ({counts})")


class Server:
    """Django's WSGI handler, with the test's database connection kept open across requests
    (as the test client does: request_started/finished would close it mid-transaction), and the
    traceback of the last unhandled exception kept for the failure message."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.errors: list[str] = []

    def __call__(self, environ, start_response):
        return self.handler(environ, start_response)

    def record(self, sender, request=None, **kwargs):
        self.errors.append(traceback.format_exc())


@pytest.fixture
def server():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    app = Server()
    got_request_exception.connect(app.record)
    try:
        yield app
    finally:
        got_request_exception.disconnect(app.record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_data(agency_tree, make_member):
    """One staff user holding every working role at 六横镇, with a token, and a few records of
    each kind the operations act on."""
    town = agency_tree["town"]
    user = make_member(town, Role.EDITOR, "fuzz_staff")
    colleagues = {}
    for role in (Role.REVIEWER, Role.OFFICER, Role.OFFICE_HEAD, Role.AGENCY_ADMIN):
        colleagues[role] = make_member(town, role)  # four eyes; someone to assign work to
        core_services.membership_grant(actor=None, user=user, agency=town, role=role)
    _token, key = api_services.api_token_create(actor=None, user=user, name="fuzz")

    column = catalogue_services.column_create(
        actor=None, agency=town, name="政策文件", column_type=ColumnType.POLICY
    )
    items = []
    for n, publish in enumerate((False, True)):
        item = catalogue_services.item_create(
            actor=user,
            agency=town,
            column=column,
            title=f"关于印发六横镇防汛工作方案的通知（{n}）",
            formed_on=date(2026, 3, 2),
            genre=Genre.OTHER_DOCUMENT,
        )
        if publish:
            item = catalogue_services.item_submit(actor=user, item=item)
            item = catalogue_services.item_approve(
                actor=colleagues[Role.REVIEWER], item=item, checks=CHECKS, publish_now=True
            )
        items.append(item.pk)
    application = application_services.application_submit(agency=town, data=person()).application
    report = engagement_services.error_report_submit(
        agency=town, error_type="typo", description="首页“通知公告”栏目有错别字。"
    ).report
    KNOWN.clear()
    KNOWN.update(
        column=[column.pk],
        item_id=items,
        application_id=[application.pk],
        report_id=[report.pk],
    )
    yield {"Authorization": f"Bearer {key}"}
    KNOWN.clear()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure reports the case as found
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case, db, server, fuzz_data):
    """Anonymous (with whatever Authorization header was generated, if any), then as staff:
    whatever the input, never a 5xx."""
    for label, headers in (("anonymous", None), ("staff", fuzz_data)):
        server.errors.clear()
        response = case.call(app=server, headers=headers)
        OPERATIONS.add(case.operation.label)
        STATS[label, f"{response.status_code // 100}xx"] += 1
        assert response.status_code < 500, (
            f"{label}: {case.method} {case.formatted_path} -> {response.status_code}\n"
            f"query={case.query!r} body={case.body!r}\n" + "\n".join(server.errors)
        )
