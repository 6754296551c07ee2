"""Logging in: lockout after repeated failures (django-axes), password rules, session expiry."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.core import services
from gongkai.core.models import AuditEvent, Role, User
from gongkai.core.tests.factories import UserFactory

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday morning
WRONG = "Wrong-password-1"
HOME = "192.0.2.10"  # the address a test logs in from unless it says otherwise


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(agency_tree, make_member):
    return make_member(agency_tree["town"], Role.OFFICER, username="lh_officer")


def attempt(client, username, password, url=None, **extra):
    extra.setdefault("REMOTE_ADDR", HOME)
    return client.post(
        url or reverse("core:login"), {"username": username, "password": password}, **extra
    )


def error_codes(response) -> set[str]:
    assert response.status_code == 200, "a refused login shows the form again"
    return {error.code for error in response.context["form"].non_field_errors().as_data()}


def is_locked(response) -> bool:
    return response.status_code == 429 and "registration/locked_out.html" in [
        t.name for t in response.templates
    ]


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


def fail(client, username, times, **extra):
    """`times` wrong passwords; the last may be the one that locks."""
    for number in range(1, times + 1):
        response = attempt(client, username, WRONG, **extra)
        if is_locked(response):
            assert number == times, f"locked after {number} of {times} failures"
        else:
            assert error_codes(response) == {"invalid_login"}
    return response


# --- lockout ---------------------------------------------------------------------------------


def test_right_password_logs_in_and_records_login_with_ip(client, officer, password, clock):
    response = attempt(client, officer.username, password, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("core:staff-home")
    assert logged_in(client)
    event = AuditEvent.objects.get(verb="user.login")
    assert event.actor == officer
    assert event.ip == "203.0.113.9"
    assert event.object_id == str(officer.pk)


def test_fifth_failure_locks_even_the_right_password(client, officer, password, clock):
    limit = settings.GONGKAI_LOGIN_MAX_FAILURES
    assert is_locked(fail(client, officer.username, limit))
    response = attempt(client, officer.username, password)
    assert is_locked(response)
    assert "登录已锁定" in response.content.decode()  # the page is in Chinese
    assert not logged_in(client)
    assert not AuditEvent.objects.filter(verb="user.login").exists()


def test_four_failures_do_not_lock(client, officer, password, clock):
    fail(client, officer.username, settings.GONGKAI_LOGIN_MAX_FAILURES - 1)
    assert attempt(client, officer.username, password).status_code == 302
    assert logged_in(client)


def test_admin_login_is_locked_too(db, client, password, clock):
    """Finding 3 of issue 13: 30 wrong passwords at /admin/login/, then the right one, logged
    in, with the failures counted nowhere."""
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    url = reverse("admin:login")
    for _ in range(30):
        response = attempt(client, root.username, WRONG, url=url)
        assert response.status_code in (200, 429)
    response = attempt(client, root.username, password, url=url)
    assert is_locked(response)
    assert not logged_in(client)
    limit = settings.GONGKAI_LOGIN_MAX_FAILURES
    assert AccessFailureLog.objects.filter(username="root", ip_address=HOME).count() == limit
    assert AuditEvent.objects.filter(verb="user.lockout", object_repr="root").count() == 1


def test_admin_login_is_audited(db, client, password, clock):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = attempt(client, root.username, password, url=reverse("admin:login"))
    assert response.status_code == 302
    assert AuditEvent.objects.get(verb="user.login").actor == root


def test_lockout_is_recorded_once(client, officer, clock):
    fail(client, officer.username, settings.GONGKAI_LOGIN_MAX_FAILURES)
    assert is_locked(attempt(client, officer.username, WRONG))  # neither counted nor recorded
    [event] = AuditEvent.objects.filter(verb="user.lockout")
    assert event.object_repr == officer.username
    assert event.actor is None
    assert event.ip == HOME
    until = START + settings.GONGKAI_LOGIN_LOCKOUT
    assert dt.datetime.fromisoformat(event.after["until"]) == until
    assert event.after["ip"] == HOME
    limit = settings.GONGKAI_LOGIN_MAX_FAILURES
    assert AccessFailureLog.objects.filter(username=officer.username).count() == limit


def test_lock_ends_after_the_lockout_period(client, officer, password, clock):
    fail(client, officer.username, settings.GONGKAI_LOGIN_MAX_FAILURES)
    clock.shift(settings.GONGKAI_LOGIN_LOCKOUT - dt.timedelta(seconds=1))
    assert is_locked(attempt(client, officer.username, password))
    clock.shift(dt.timedelta(seconds=2))
    assert attempt(client, officer.username, password).status_code == 302
    assert logged_in(client)


def test_another_address_cannot_lock_an_account(client, officer, password, clock):
    """Locking is by name and address: an attacker who fails from their address does not
    shut the account's owner out (the old lockout did, for any name, with 5 tries)."""
    fail(client, officer.username, settings.GONGKAI_LOGIN_MAX_FAILURES, REMOTE_ADDR="198.51.100.66")
    assert is_locked(attempt(client, officer.username, password, REMOTE_ADDR="198.51.100.66"))
    assert attempt(client, officer.username, password).status_code == 302
    assert logged_in(client)


def test_lock_is_per_user_name(client, agency_tree, make_member, officer, password, clock):
    other = make_member(agency_tree["town"], Role.EDITOR, username="lh_editor")
    fail(client, officer.username, settings.GONGKAI_LOGIN_MAX_FAILURES)
    assert attempt(client, other.username, password).status_code == 302


def test_spraying_names_from_one_address_locks_the_address(client, officer, password, clock):
    """One address failing for many names (password spraying) is locked for every name, its
    own right password included, but not other addresses."""
    per_address = settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS
    per_name = settings.GONGKAI_LOGIN_MAX_FAILURES - 1  # never enough to lock one name
    names = [f"staff{n}" for n in range(per_address // per_name + 1)]
    failures = 0
    for name in names:
        for _ in range(per_name):
            response = attempt(client, name, WRONG)
            failures += 1
            assert is_locked(response) == (failures >= per_address), failures
            if failures >= per_address:
                break
        if failures >= per_address:
            break
    assert is_locked(attempt(client, officer.username, password))
    assert not logged_in(client)
    assert attempt(client, officer.username, password, REMOTE_ADDR="192.0.2.99").status_code == 302


def test_a_login_does_not_clear_the_address_count(
    client, agency_tree, make_member, password, clock
):
    """A sprayer who owns an account cannot wipe the address's count by logging in to it."""
    own = make_member(agency_tree["town"], Role.EDITOR, username="lh_editor")
    per_address = settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS
    per_name = settings.GONGKAI_LOGIN_MAX_FAILURES - 1
    for n in range((per_address - 1) // per_name):
        fail(client, f"staff{n}", per_name)
    fail(client, "staff-last", (per_address - 1) % per_name)
    assert attempt(client, own.username, password).status_code == 302
    client.logout()
    assert is_locked(attempt(client, "staff-next", WRONG))


def test_lock_ignores_user_name_case(client, officer, password, clock):
    fail(client, officer.username.upper(), settings.GONGKAI_LOGIN_MAX_FAILURES)
    assert is_locked(attempt(client, officer.username, password))


def test_failures_older_than_the_window_do_not_count(client, officer, password, clock):
    limit = settings.GONGKAI_LOGIN_MAX_FAILURES
    fail(client, officer.username, limit - 1)
    clock.shift(settings.GONGKAI_LOGIN_LOCKOUT + dt.timedelta(minutes=1))
    fail(client, officer.username, 1)  # the limit is reached only counting the old ones
    assert not AuditEvent.objects.filter(verb="user.lockout").exists()
    assert attempt(client, officer.username, password).status_code == 302


def test_failures_spread_inside_the_window_do_count(client, officer, password, clock):
    limit = settings.GONGKAI_LOGIN_MAX_FAILURES
    step = settings.GONGKAI_LOGIN_LOCKOUT / (limit * 2)
    for _ in range(limit):
        fail(client, officer.username, 1)
        clock.shift(step)
    assert is_locked(attempt(client, officer.username, password))


def test_successful_login_clears_failures(client, officer, password, clock):
    limit = settings.GONGKAI_LOGIN_MAX_FAILURES
    fail(client, officer.username, limit - 1)
    assert attempt(client, officer.username, password).status_code == 302
    assert not AccessAttempt.objects.filter(username=officer.username).exists()
    client.logout()
    # A fresh budget: limit - 1 more failures still leave the account open.
    fail(client, officer.username, limit - 1)
    assert attempt(client, officer.username, password).status_code == 302


def test_failure_records_the_client_ip(client, officer, clock):
    attempt(client, officer.username, WRONG, REMOTE_ADDR="192.0.2.77")
    assert AccessFailureLog.objects.get().ip_address == "192.0.2.77"


def test_behind_a_trusted_proxy_failures_count_per_forwarded_address(
    client, officer, password, clock, settings
):
    settings.GONGKAI_TRUST_X_FORWARDED_FOR = True
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(
        client,
        officer.username,
        settings.GONGKAI_LOGIN_MAX_FAILURES,
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **proxy,
    )
    assert (
        AccessFailureLog.objects.filter(ip_address="203.0.113.5").count()
        == settings.GONGKAI_LOGIN_MAX_FAILURES
    )
    # Another client behind the same proxy is not locked out.
    response = attempt(
        client, officer.username, password, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy
    )
    assert response.status_code == 302


def test_unknown_user_names_are_locked_too(db, client, clock):
    """No difference between existing and unknown names (no user enumeration)."""
    fail(client, "nobody-here", settings.GONGKAI_LOGIN_MAX_FAILURES)
    assert is_locked(attempt(client, "nobody-here", WRONG))


def test_inactive_user_cannot_log_in(client, officer, password, clock):
    officer.is_active = False
    officer.save()
    assert error_codes(attempt(client, officer.username, password)) == {"invalid_login"}
    assert not logged_in(client)


# --- password rules --------------------------------------------------------------------------


def password_error_codes(password: str, username: str = "pw_user") -> set[str]:
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(actor=None, username=username, password=password)
    return {error.code for error in excinfo.value.error_list}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!xyz", "password_too_short"),  # 3 classes but 7 characters
        ("4927150386", "password_entirely_numeric"),
        ("Password123", "password_too_common"),  # long enough, 3 classes, but on the list
        ("abcdefghijk", "password_too_simple"),  # one class
        ("abcdefgh1234", "password_too_simple"),  # two classes
        ("Pw_user.2026", "password_too_similar"),  # the user name with a suffix
    ],
)
def test_user_create_rejects_weak_passwords(password, code):
    assert code in password_error_codes(password)
    assert not User.objects.filter(username="pw_user").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Correct-horse-42", "lantern4Orbit!", "青山-Blue-1986"])
def test_user_create_accepts_strong_passwords(password):
    user = services.user_create(actor=None, username="pw_user", password=password)
    assert user.check_password(password)
    assert not user.is_staff
    assert AuditEvent.objects.filter(verb="user.create", object_id=str(user.pk)).exists()
    # The password itself never reaches the audit trail.
    assert password not in str(AuditEvent.objects.get(verb="user.create").after)


# --- sessions --------------------------------------------------------------------------------


def test_idle_timeout_is_a_rolling_session(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60  # idle staff sessions end within the hour
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.GONGKAI_SESSION_MAX_AGE.total_seconds() > settings.SESSION_COOKIE_AGE
    stack = settings.MIDDLEWARE
    cap = stack.index("gongkai.core.middleware.StaffSessionMiddleware")
    assert cap > stack.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert cap > stack.index("django.contrib.messages.middleware.MessageMiddleware")


def test_idle_session_expires(client, officer, password, clock):
    assert attempt(client, officer.username, password).status_code == 302
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    clock.shift(idle - dt.timedelta(minutes=1))
    assert client.get(reverse("core:staff-home")).status_code == 200  # activity renews it
    clock.shift(idle - dt.timedelta(minutes=1))
    assert client.get(reverse("core:staff-home")).status_code == 200
    clock.shift(idle + dt.timedelta(seconds=1))
    response = client.get(reverse("core:staff-home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("core:login"))


def test_active_session_is_capped_at_the_maximum_age(client, officer, password, clock):
    assert attempt(client, officer.username, password).status_code == 302
    step = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) * 0.8  # never idle long enough
    cap = settings.GONGKAI_SESSION_MAX_AGE
    elapsed = dt.timedelta(0)
    while elapsed + step <= cap:
        assert client.get(reverse("core:staff-home")).status_code == 200, elapsed
        clock.shift(step)
        elapsed += step
    clock.shift(cap - elapsed + dt.timedelta(seconds=1))
    response = client.get(reverse("core:staff-home"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("core:login")
    assert not logged_in(client)
    # The user is told why, on the login page.
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert [m.level_tag for m in page.context["messages"]] == ["info"]
    # Logging in again starts a new session with a new cap.
    assert attempt(client, officer.username, password).status_code == 302
    assert client.get(reverse("core:staff-home")).status_code == 200


def test_logout_is_a_post(client, officer, password, clock):
    attempt(client, officer.username, password)
    assert client.get(reverse("core:logout")).status_code == 405
    assert logged_in(client)
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert not logged_in(client)
