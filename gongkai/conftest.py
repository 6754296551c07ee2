"""Fixtures shared by every app's tests."""

import pytest

from gongkai.core import selectors as core_selectors
from gongkai.core import services
from gongkai.core.models import AgencyLevel, CalendarYear, Role
from gongkai.core.tests.factories import PASSWORD, AgencyFactory, UserFactory

_DB_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_reset_sequences"})


@pytest.fixture(autouse=True)
def calendar_present(request, django_db_blocker):
    """The working-day calendar a migration seeds, back after a transactional test flushed it.

    Transactional tests (browser tests, the page cache's) empty every table when they end, the
    calendar's rows included; the tests after them count working days as everywhere else.
    """
    uses_db = request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(
        request.fixturenames
    )
    if uses_db:
        with django_db_blocker.unblock():
            if not CalendarYear.objects.filter(is_complete=True).exists():
                services.calendar_seed_from_package()


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Each test starts without a working-day calendar cached by an earlier, rolled-back test."""
    core_selectors._calendar_cache = None
    yield
    core_selectors._calendar_cache = None


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Private files (letters, applicants' files, attachments, staged imports) go to a
    per-test directory, never to var/private."""
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    return settings.GONGKAI_PRIVATE_ROOT


@pytest.fixture
def debug_urls(settings):
    """The URLs of `make run`, where /media/ serves MEDIA_ROOT to anyone."""
    import importlib

    from django.urls import clear_url_caches

    from gongkai.config import urls

    serve_media = settings.GONGKAI_SERVE_MEDIA
    settings.GONGKAI_SERVE_MEDIA = True
    importlib.reload(urls)  # urls.py reads the setting when it is imported
    clear_url_caches()
    yield
    settings.GONGKAI_SERVE_MEDIA = serve_media
    importlib.reload(urls)
    clear_url_caches()


@pytest.fixture
def schedule_missing(db):
    """schedule_missing(year): the year's holiday schedule is not entered (a newer
    `chinesecalendar` may hold it; the tests of pending deadlines must not depend on that)."""

    def remove(year: int) -> None:
        CalendarYear.objects.filter(year=year).delete()

    remove(2027)
    return remove


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def agency_tree(db):
    """普陀区 → {六横镇 → 党政办, 桃花镇}: two sibling towns under one district."""
    district = AgencyFactory(
        name="舟山市普陀区人民政府", short_name="普陀区", slug="putuo", level=AgencyLevel.COUNTY
    )
    town = AgencyFactory(
        name="六横镇人民政府", short_name="六横镇", slug="liuheng", parent=district
    )
    department = AgencyFactory(
        name="六横镇党政综合办公室",
        short_name="党政办",
        slug="liuheng-dzb",
        level=AgencyLevel.DEPARTMENT,
        parent=town,
    )
    other_town = AgencyFactory(
        name="桃花镇人民政府", short_name="桃花镇", slug="taohua", parent=district
    )
    return {"district": district, "town": town, "department": department, "other_town": other_town}


@pytest.fixture
def make_member(db):
    """make_member(agency, role, username=None) -> a user holding `role` at `agency`."""

    def make(agency, role=Role.OFFICER, username=None):
        user = UserFactory(**({"username": username} if username else {}))
        services.membership_grant(actor=None, user=user, agency=agency, role=role)
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def other_town(agency_tree):
    return agency_tree["other_town"]
