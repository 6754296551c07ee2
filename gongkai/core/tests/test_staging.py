"""gongkai.core.staging: the import file kept between its preview and the confirmation, for
every import (catalogue, matters, post counts) — the checks, the other tab, the sweep, the
hand-over to a task."""

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from gongkai.core import staging
from gongkai.core.storage import private_storage
from gongkai.core.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = "catalogue.items"
DATA = "标题,成文日期\n通知,2026-01-01\n".encode()


def staged_files(private_root) -> list:
    folder = private_root / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def clock_of_the_files(tmp_path):
    """The clock, frozen to the file system's: the sweep compares the stored files' times with
    timezone.now(), and under a shifted process clock (libfaketime, `make test-shifted`) the
    files the kernel stamps would look weeks old."""
    probe = tmp_path / "clock"
    probe.write_bytes(b"")
    with time_machine.travel(datetime.fromtimestamp(probe.stat().st_mtime, tz=UTC), tick=True):
        yield


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def user():
    return UserFactory()


def make_request(user, session=None):
    request = RequestFactory().post("/")
    request.user = user
    request.session = session if session is not None else SessionStore()
    return request


def test_the_session_key_is_derived_from_the_kind():
    assert staging.session_key("catalogue.items") == "staging.catalogue.items"
    assert staging.session_key("matters") == "staging.matters"
    for bad in ("", "Items", "a..b", ".a", "a.", "a/b", "a b"):
        with pytest.raises(ValueError):
            staging.session_key(bad)


def test_stage_then_load_gives_back_the_bytes(agency, user, private_root):
    request = make_request(user)
    staged = staging.stage(request, KIND, agency=agency, file_name="目录.csv", data=DATA)
    assert staged.sha256 == staging.sha256(DATA) and staged.file_name == "目录.csv"
    assert staged.agency == agency.pk and staged.user == user.pk and staged.scope is None
    assert request.session["staging.catalogue.items"]["name"] == staged.name
    assert staged_files(private_root) == [staged.name.removeprefix("imports/")]

    loaded, data = staging.load(request, KIND, agency=agency, confirmed=staged.sha256)
    assert loaded == staged and data == DATA


def test_kinds_are_kept_apart(agency, user, private_root):
    request = make_request(user)
    items = staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA)
    matters = staging.stage(request, "matters", agency=agency, file_name="b.csv", data=b"x,y\n")
    assert len(staged_files(private_root)) == 2
    staging.discard(request, "matters")
    assert staged_files(private_root) == [items.name.removeprefix("imports/")]
    with pytest.raises(staging.StagedFileRefused):
        staging.load(request, "matters", agency=agency, confirmed=matters.sha256)
    assert staging.load(request, KIND, agency=agency, confirmed=items.sha256)[1] == DATA


def test_a_new_upload_replaces_the_previous_file(agency, user, private_root):
    request = make_request(user)
    first = staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA)
    second = staging.stage(request, KIND, agency=agency, file_name="b.csv", data=DATA + b"x\n")
    assert staged_files(private_root) == [second.name.removeprefix("imports/")]
    assert first.name != second.name


def test_a_newer_upload_in_another_tab_keeps_its_file(agency, user, private_root):
    request = make_request(user)
    first_sha = staging.sha256(DATA)
    staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA)
    newer = staging.stage(request, KIND, agency=agency, file_name="b.csv", data=DATA + b"x\n")
    # the first tab confirms the preview it showed: refused, the newer file stays staged
    with pytest.raises(staging.StagedFileRefused):
        staging.load(request, KIND, agency=agency, confirmed=first_sha)
    assert staged_files(private_root) == [newer.name.removeprefix("imports/")]
    assert staging.load(request, KIND, agency=agency, confirmed=newer.sha256)[1] == DATA + b"x\n"


@pytest.mark.parametrize(
    "change",
    [
        {"user": 0},
        {"agency": 0},
        {"scope": 7},
        {"name": "../settings.py"},
        {"name": "imports/" + "A" * 32},
        {"unexpected": 1},
    ],
)
def test_a_record_that_does_not_belong_is_refused_and_deleted(agency, user, private_root, change):
    request = make_request(user)
    staged = staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA, scope=3)
    key = staging.session_key(KIND)
    request.session[key] = {**request.session[key], **change}
    with pytest.raises(staging.StagedFileRefused):
        staging.load(request, KIND, agency=agency, confirmed=staged.sha256, scope=3)
    assert key not in request.session
    if "name" not in change:  # the file it named is gone with the record
        assert staged_files(private_root) == []


def test_the_scope_must_match(agency, user, private_root):
    request = make_request(user)
    staged = staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA, scope=3)
    assert staging.load(request, KIND, agency=agency, confirmed=staged.sha256, scope=3)[1] == DATA
    with pytest.raises(staging.StagedFileRefused):
        staging.load(request, KIND, agency=agency, confirmed=staged.sha256, scope=4)
    with pytest.raises(staging.StagedFileRefused):  # gone since the mismatch
        staging.load(request, KIND, agency=agency, confirmed=staged.sha256, scope=3)


def test_changed_or_missing_bytes_are_refused(agency, user, private_root):
    request = make_request(user)
    staged = staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA)
    (private_root / staged.name).write_bytes(DATA + b"tampered\n")
    with pytest.raises(staging.StagedFileRefused):
        staging.load(request, KIND, agency=agency, confirmed=staged.sha256)
    assert staged_files(private_root) == [] and staging.session_key(KIND) not in request.session

    staged = staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA)
    private_storage().delete(staged.name)
    with pytest.raises(staging.StagedFileRefused):
        staging.load(request, KIND, agency=agency, confirmed=staged.sha256)
    assert staging.session_key(KIND) not in request.session


def test_another_user_cannot_load_it(agency, user, private_root):
    request = make_request(user)
    staged = staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA)
    other = make_request(UserFactory(), session=request.session)
    with pytest.raises(staging.StagedFileRefused):
        staging.load(other, KIND, agency=agency, confirmed=staged.sha256)
    assert staged_files(private_root) == []


def test_hand_over_keeps_the_bytes_for_the_task(agency, user, private_root):
    request = make_request(user)
    staged = staging.stage(request, KIND, agency=agency, file_name="a.csv", data=DATA)
    staging.hand_over(request, KIND)
    assert staging.session_key(KIND) not in request.session
    # a second confirmation finds nothing
    with pytest.raises(staging.StagedFileRefused):
        staging.load(request, KIND, agency=agency, confirmed=staged.sha256)
    assert staging.read_handed(staged.name, staged.sha256) == DATA
    with pytest.raises(staging.StagedFileRefused):
        staging.read_handed(staged.name, staging.sha256(b"other"))
    with pytest.raises(staging.StagedFileRefused):
        staging.read_handed("../secret", staged.sha256)
    staging.delete_handed(staged.name)
    assert staged_files(private_root) == []
    with pytest.raises(staging.StagedFileRefused):
        staging.read_handed(staged.name, staged.sha256)


def test_stale_files_are_purged_by_the_next_upload(agency, user, private_root):
    request = make_request(user)
    old = staging.stage(request, "matters", agency=agency, file_name="a.csv", data=DATA)
    staging.hand_over(request, "matters")  # a task that never ran: the file is left behind
    long_ago = (timezone.now() - staging.STALE_AFTER - timedelta(hours=1)).timestamp()
    os.utime(private_root / old.name, (long_ago, long_ago))
    fresh = staging.stage(request, "operations.posts", agency=agency, file_name="b.csv", data=DATA)
    assert staged_files(private_root) == [fresh.name.removeprefix("imports/")]
    assert staging.purge_stale() == 0
    later = timezone.now() + staging.STALE_AFTER + timedelta(hours=1)
    assert staging.purge_stale(now=later) == 1
    assert staged_files(private_root) == []
