"""API tokens: stored as hashes, audited, revocable; and the `gongkai api token` command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from gongkai.api import services
from gongkai.api.models import ApiToken
from gongkai.core.models import AuditEvent, Role
from gongkai.core.tests.factories import UserFactory

STAFF = "/api/v1/catalogue/items"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def officer(make_member, agency_tree):
    return make_member(agency_tree["town"], Role.OFFICER, "lh_officer")


def test_only_a_hash_and_a_prefix_are_stored(officer):
    token, key = services.api_token_create(actor=officer, user=officer, name="报表脚本")
    assert len(key) >= 40
    token.refresh_from_db()
    assert token.prefix == key[:8]
    assert token.key_hash == services.hash_key(key) != key
    stored = [
        str(v)
        for v in ApiToken.objects.values_list(
            *[f.attname for f in ApiToken._meta.concrete_fields]
        ).get()
    ]
    assert not any(key in value for value in stored)
    event = AuditEvent.objects.get(verb="api_token.create")
    assert event.actor == officer
    assert event.after == {"user": "lh_officer", "name": "报表脚本", "prefix": key[:8]}
    assert key not in str(event.after)


def test_keys_never_start_with_a_dash(officer, monkeypatch):
    # The prefix is typed on command lines (`gongkai api token revoke PREFIX`).
    drawn = iter(["-dashfirst" + "x" * 33, "ok" + "y" * 41])
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: next(drawn))
    token, key = services.api_token_create(actor=None, user=officer, name="cli")
    assert key.startswith("ok") and token.prefix == key[:8]


def test_keys_are_unique(officer):
    keys = {services.api_token_create(actor=None, user=officer, name=f"t{n}")[1] for n in range(5)}
    assert len(keys) == 5


def test_who_may_create_a_token(officer, make_member, agency_tree):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN, "lh_admin")
    # Not even the agency's administrator may mint a credential acting as a colleague.
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=admin, user=officer, name="x")
    superuser = UserFactory(username="root", is_superuser=True)
    services.api_token_create(actor=superuser, user=officer, name="x")
    outsider = UserFactory(username="nobody")  # no role anywhere
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=outsider, user=outsider, name="x")
    with pytest.raises(ValidationError):
        services.api_token_create(actor=officer, user=officer, name="  ")
    assert ApiToken.objects.count() == 1


def test_a_token_authenticates_and_records_its_use(client, officer):
    token, key = services.api_token_create(actor=None, user=officer, name="x")
    assert token.last_used_at is None
    assert client.get(STAFF, **bearer(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer wrong-key", "Bearer ", "Token {key}", "{key}", "Basic {key}", "Bearer {key}x"],
)
def test_bad_credentials_are_401(client, officer, header):
    _token, key = services.api_token_create(actor=None, user=officer, name="x")
    response = client.get(STAFF, HTTP_AUTHORIZATION=header.format(key=key))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_revoked_token_is_rejected(client, officer):
    token, key = services.api_token_create(actor=None, user=officer, name="x")
    assert client.get(STAFF, **bearer(key)).status_code == 200
    services.api_token_revoke(actor=officer, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(STAFF, **bearer(key)).status_code == 401
    assert AuditEvent.objects.filter(verb="api_token.revoke", actor=officer).count() == 1
    services.api_token_revoke(actor=officer, token=token)  # idempotent
    assert AuditEvent.objects.filter(verb="api_token.revoke").count() == 1


def test_a_disabled_users_token_is_rejected(client, officer):
    _token, key = services.api_token_create(actor=None, user=officer, name="x")
    officer.is_active = False
    officer.save()
    assert client.get(STAFF, **bearer(key)).status_code == 401


def test_a_colleague_cannot_revoke_my_token(officer, make_member, agency_tree):
    token, _key = services.api_token_create(actor=None, user=officer, name="x")
    colleague = make_member(agency_tree["town"], Role.OFFICER, "lh_officer2")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=colleague, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_last_used_is_not_rewritten_on_every_call(client, officer):
    token, key = services.api_token_create(actor=None, user=officer, name="x")
    client.get(STAFF, **bearer(key))
    token.refresh_from_db()
    first = token.last_used_at
    client.get(STAFF, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=5))
    client.get(STAFF, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)
    assert token.last_used_at <= timezone.now()


# --- the command -------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("api", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_command_creates_a_working_token(client, officer):
    key, note = run("token", "create", "--user", "lh_officer", "--name", "数据对接")
    assert "Bearer" in note
    assert client.get(STAFF, **bearer(key)).status_code == 200
    token = ApiToken.objects.get()
    assert token.name == "数据对接" and token.user == officer
    event = AuditEvent.objects.get(verb="api_token.create")
    assert event.actor is None  # the system, on the server's command line


def test_command_lists_and_revokes(client, officer):
    key, _ = run("token", "create", "--user", "lh_officer", "--name", "数据对接")
    listing, _ = run("token", "list")
    assert key[:8] in listing and key not in listing and "数据对接" in listing
    run("token", "revoke", key[:8])
    assert client.get(STAFF, **bearer(key)).status_code == 401
    with translation.override("en"):
        listing, _ = run("token", "list", "--user", "lh_officer")
    assert "revoked" in listing


def test_command_errors(officer):
    with pytest.raises(CommandError, match="nobody"):
        run("token", "create", "--user", "nobody", "--name", "x")
    with pytest.raises(CommandError):
        run("token", "create", "--user", "lh_officer", "--name", " ")
    with pytest.raises(CommandError):
        run("token", "revoke", "zzzzzzzz")
    assert not ApiToken.objects.exists()
