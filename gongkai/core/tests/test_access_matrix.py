"""The role × agency × endpoint matrix (access_matrix.py) against every page and API operation.

The data (access_world.py) is built once per module inside a transaction that is rolled back at
the end; every request runs in a savepoint of its own that is rolled back too, so a write one
principal may make never changes what the next one sees.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest
import time_machine
from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.api.api import api
from gongkai.core.tests import access_matrix as matrix
from gongkai.core.tests.access_world import PRINCIPALS, SECRET, build_world

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=timezone(timedelta(hours=8)))
DAY = "2026-03-05"
PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
# The API's operations are enumerated from its schema; the admin is represented by its index.
SKIPPED_NAMESPACES = ("api", "admin")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Tables a read may write to: the session of a signed-in user (saved on every request).
UNCOUNTED_TABLES = {"django_session"}


# --- enumeration --------------------------------------------------------------------------


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            ns = ":".join(part for part in (namespace, inner) if part) if inner else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace, entry.name, prefix + str(entry.pattern)


def url_patterns() -> dict[str, str]:
    """Every page the URL conf serves, as "namespace:name" -> route."""
    found = {}
    for namespace, name, route in _walk(get_resolver()):
        if (namespace or "").split(":")[0] in SKIPPED_NAMESPACES:
            if f"{namespace}:{name}" == "admin:index":
                found["admin:index"] = route
            continue
        key = f"{namespace}:{name}" if namespace else (name or f"<unnamed {route}>")
        found[key] = route
    return found


def api_operations() -> dict[str, tuple[str, str, dict]]:
    """operationId -> (method, path, operation) from the OpenAPI schema."""
    schema = api.get_openapi_schema()
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            found[operation["operationId"]] = (method.upper(), path, operation)
    return found


ROUTES = url_patterns()
OPERATIONS = api_operations()
SCHEMA = api.get_openapi_schema()


def cases(entry) -> tuple:
    return entry if isinstance(entry, tuple) else (entry,)


def matrix_size() -> int:
    """The number of cells: (request, principal) pairs the matrix checks."""
    tables = (matrix.PAGES, matrix.PUBLIC_PAGES, matrix.OPERATIONS)
    return sum(
        len(cells(name, case)) for table in tables for name, e in table.items() for case in cases(e)
    )


# --- request bodies generated from the schema ----------------------------------------------


def _field_values(o) -> dict:
    """Body and query fields that name records: A's (the agency, its column, account, policy,
    an officer of its disclosure office), whatever the schema says of them."""
    return {
        "agency": o["town"].slug,
        "column": o["column"].pk,
        "account": o["accounts"].pk,
        "policy": o["published"].pk,
        # by its real id: a literal 1 is A's item only where the ids start again (SQLite rolls
        # its sequence back with the test; PostgreSQL's sequences never go back)
        "policy_id": o["published"].pk,
        "item": None,
        "handler": "m_officer",
        "year": 2025,
    }


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(schema: dict, o: dict, name: str = ""):
    """A value the schema accepts: required properties only, the first choice of enums."""
    schema = _resolve(schema)
    values = _field_values(o)
    if name in values:
        return values[name]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s).get("type") != "null"]
            return example(options[0], o, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            key: example(sub, o, key)
            for key, sub in props.items()
            if key in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return DAY
    if schema.get("format") == "date-time":
        return f"{DAY}T10:00:00+08:00"
    return "matrix"


def api_request(name: str, case, o) -> tuple[str, str, dict, dict | None]:
    method, path, operation = OPERATIONS[name]
    params = {"agency": o["town"].slug, **case.params(o)}
    url = re.sub(r"{(?:\w+:)?(\w+)}", lambda m: str(params[m.group(1)]), path)
    query = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and (
            parameter.get("required") or parameter["name"] == "agency"
        ):
            query[parameter["name"]] = example(parameter["schema"], o, parameter["name"])
    if case.query:
        query.update(case.query(o))
    body = None
    if "requestBody" in operation:
        content = operation["requestBody"]["content"]
        schema = content.get("application/json", next(iter(content.values())))["schema"]
        body = example(schema, o)
        if case.body:
            body.update(case.body(o))
    return method, url, query, body


def page_url(name: str, case, o) -> str:
    params = case.params(o)
    names = {a or b for a, b in PARAM.findall(ROUTES[name])}
    if "agency" in names and "agency" not in params:
        params["agency"] = o["town"].slug
    return reverse(name, kwargs=params or None)


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files_root(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix")


@pytest.fixture(autouse=True)
def private_root(files_root):
    """The world's files, for every test of the module (the suite's fixture of the same name
    gives each test a directory of its own)."""
    return files_root / "private"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, files_root):
    roots = override_settings(
        GONGKAI_PRIVATE_ROOT=files_root / "private", MEDIA_ROOT=files_root / "media"
    )
    with (
        time_machine.travel(NOW, tick=False),
        roots,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        built = build_world()
        built.clients = {"anon": Client()}
        built.api_clients = {"anon": Client()}
        for key, user in built.users.items():
            built.clients[key] = Client()
            built.clients[key].force_login(user)
            built.api_clients[key] = Client(
                headers={"Authorization": f"Bearer {built.tokens[key]}"}
            )
        built.clients["applicant"] = applicant = Client()
        unlocked = applicant.post(
            reverse("portal:application-status", args=[built.town.slug]),
            {"number": built.obj["replied"].number, "code": built.obj["replied_code"]},
        )
        assert unlocked.status_code == 302, "the applicant's status page did not unlock"
        yield built
        transaction.set_rollback(True)


def _tables() -> list[str]:
    names = {model._meta.db_table for model in apps.get_models() if model._meta.managed}
    return sorted(names - UNCOUNTED_TABLES)


def fingerprint() -> tuple:
    """The row count of every table, in one query: what a refused request must leave alone."""
    quote = connection.ops.quote_name
    # Table names come from the models, not from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _tables())  # noqa: S608
    sql = "SELECT " + counts
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        # Reading the content to its end closes the response the way the test client wants
        # (close_old_connections held back). A second close() would fire request_finished with
        # it connected and, on PostgreSQL, close the connection under the test's transaction.
        return b"".join(response.streaming_content)
    return response.content


def perform(client, method, url, *, query=None, body=None, form=None, unsafe_check=False):
    """(status, location, content, wrote) of one request, rolled back."""
    caches["default"].clear()
    with transaction.atomic():
        before = fingerprint() if unsafe_check else None
        full = f"{url}?{urlencode(query)}" if query else url
        try:
            if form is not None:
                response = client.post(full, form)
            elif body is None:
                response = client.generic(method, full)
            else:
                response = client.generic(
                    method,
                    full,
                    data=json.dumps(body),
                    content_type="application/json",
                )
        except Exception as exc:  # noqa: BLE001 — a server error is a finding of the matrix
            transaction.set_rollback(True)
            return 500, "", repr(exc).encode(), False
        content = _body(response)
        wrote = unsafe_check and fingerprint() != before
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", ""), content, wrote


def verdict(expected, status, location) -> bool:
    to_login = status == 302 and "/login/" in location
    if expected == matrix.LOGIN:
        return to_login
    if expected == matrix.WRITE:
        return status < 500 and status not in (401, 403, 404) and not to_login
    if expected == matrix.REFUSED:
        return status in (400, 403, 409) or (status == 302 and not to_login)
    if expected == matrix.ANY:
        return status < 500
    if expected == matrix.CROSSED:
        return status in (400, 403, 404)
    return status == expected


def blind_for(name: str, public: bool) -> frozenset:
    if public:
        if name.startswith("portal:application"):  # the applicant reads their application
            return matrix.BLIND["public"] - {matrix.APPLICANT}
        return matrix.BLIND["public"]
    office = ("applications:", "operations:", matrix.APP, matrix.OPS)
    return matrix.BLIND["office" if name.startswith(office) else "default"]


# B's staff naming B in the URL (or the body) with A's objects: the agency they may read must not
# open another agency's record (an id is not scoped by the URL's agency alone).
CROSS = "foreign@B"
# Path parameters that name an object of A (the others are kinds, formats, years, names).
OBJECT_PARAMS = {"pk", "attachment", "channel", "file", "letter"}


def cross_cells(name, case) -> dict:
    if case.public:
        return {}
    if name in ROUTES:
        route_params = {a or b for a, b in PARAM.findall(ROUTES[name])}
        if "agency" in route_params and route_params & OBJECT_PARAMS:
            return {CROSS: matrix.HIDDEN}
        return {}
    return {CROSS: matrix.CROSSED} if case.cross else {}


def cells(name, case) -> dict:
    return {**case.expect, **cross_cells(name, case)}


def check(name, entry, run) -> list[str]:
    """Run every cell of an entry; the mismatches, one line each."""
    problems = []
    for index, case in enumerate(cases(entry)):
        blind = blind_for(name, case.public) | {CROSS}
        for principal, expected in cells(name, case).items():
            may_write = expected in (matrix.WRITE, matrix.ANY, matrix.OK)
            # (a public form records its failed attempts, against guessing)
            unsafe_check = case.method in UNSAFE and not may_write and not case.public
            status, location, content, wrote = run(case, principal, unsafe_check)
            label = f"{name}[{index}] {case.method} as {principal}"
            if not verdict(expected, status, location):
                detail = location or content[:300].decode(errors="replace")
                problems.append(f"{label}: expected {expected}, got {status} {detail}")
            if wrote:
                problems.append(f"{label}: refused with {status} but wrote to the database")
            if principal in blind and SECRET.encode() in content:
                problems.append(f"{label}: {status} shows agency A's records")
    return problems


# --- completeness -------------------------------------------------------------------------


def test_every_page_has_an_entry_and_every_entry_a_page():
    table = set(matrix.PAGES) | set(matrix.PUBLIC_PAGES)
    missing = sorted(set(ROUTES) - table)
    stale = sorted(table - set(ROUTES))
    assert not missing, f"URL patterns without an entry in access_matrix.py: {missing}"
    assert not stale, f"entries in access_matrix.py whose URL pattern is gone: {stale}"


def test_every_operation_has_an_entry_and_every_entry_an_operation():
    missing = sorted(set(OPERATIONS) - set(matrix.OPERATIONS))
    stale = sorted(set(matrix.OPERATIONS) - set(OPERATIONS))
    assert not missing, f"API operations without an entry in access_matrix.py: {missing}"
    assert not stale, f"entries in access_matrix.py whose operation is gone: {stale}"


def test_every_entry_names_every_principal():
    for table in (matrix.PAGES, matrix.OPERATIONS):
        for name, entry in table.items():
            for case in cases(entry):
                if not case.public:
                    assert set(case.expect) == set(PRINCIPALS), name


# --- the matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", sorted((set(matrix.PAGES) | set(matrix.PUBLIC_PAGES)) & set(ROUTES))
)
def test_page(world, db, name):
    entry = matrix.PAGES.get(name) or matrix.PUBLIC_PAGES[name]

    def run(case, principal, unsafe_check):
        agency = world.other if principal == CROSS else world.town
        url = page_url(name, case, world.obj | {"town": agency})
        form = case.data(world.obj) if case.data else None
        query = case.query(world.obj) if case.query else None
        client = world.clients["foreign" if principal == CROSS else principal]
        return perform(client, case.method, url, query=query, form=form, unsafe_check=unsafe_check)

    problems = check(name, entry, run)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(set(matrix.OPERATIONS) & set(OPERATIONS)))
def test_operation(world, db, name):
    entry = matrix.OPERATIONS[name]

    def run(case, principal, unsafe_check):
        o = world.obj | {"town": world.other if principal == CROSS else world.town}
        method, url, query, body = api_request(name, case, o)
        return perform(
            world.api_clients["foreign" if principal == CROSS else principal],
            method,
            url,
            query=query,
            body=body,
            unsafe_check=unsafe_check,
        )

    problems = check(name, entry, run)
    assert not problems, "\n".join(problems)
