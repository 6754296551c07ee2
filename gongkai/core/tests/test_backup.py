"""`gongkai backup create|restore`: a backup restored into a new, empty database on the same
server gives the same row counts and the same files; a damaged backup or a database that is not
empty is refused before anything is written."""

import json
import secrets
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from gongkai.core import backup
from gongkai.core.backup import BackupError, backup_create, backup_restore
from gongkai.core.models import Agency, Membership, User
from gongkai.core.tests.factories import AgencyFactory, MembershipFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backups use pg_dump/pg_restore: PostgreSQL only (run with DATABASE_URL=postgres://…)",
)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in their English msgids, whatever the catalogue holds."""
    with translation.override("en"):
        yield


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def media(settings, tmp_path, private_root):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "portal" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "portal" / "2026" / "图片.png").write_bytes(
        b"\x89PNG" + bytes(range(256))
    )
    (private_root / "letters").mkdir(parents=True)
    (private_root / "letters" / "答复书.pdf").write_bytes(b"%PDF-1.7 " + "告知".encode() * 500)
    (private_root / "applications" / "x").mkdir(parents=True)
    (private_root / "applications" / "x" / "id.jpg").write_bytes(secrets.token_bytes(4096))
    return settings.MEDIA_ROOT, private_root


@pytest.fixture
def empty_database():
    """A new database on the test server, dropped at the end (settings like Django's)."""
    import psycopg

    settings_dict = connection.settings_dict
    name = f"h15_restore_{secrets.token_hex(4)}"
    params = {
        "dbname": "postgres",
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    params = {key: value for key, value in params.items() if value is not None}
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**settings_dict, "NAME": name}
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_gives_the_same_rows_and_files(
    media, empty_database, tmp_path
):
    media_root, private_root = media
    for _ in range(3):
        MembershipFactory()
    AgencyFactory.create_batch(2)
    agencies, users, memberships = (
        Agency.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )

    call_command("backup", "create", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database_engine"] == "postgresql"
    assert manifest["row_counts"]["core_agency"] == agencies == 5
    assert manifest["migrations"]["core"].startswith("00")
    assert set(manifest["files"]) == {
        "database.dump",
        "media/portal/2026/图片.png",
        "private/letters/答复书.pdf",
        "private/applications/x/id.jpg",
    }
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".b.partial-")]

    restored_media, restored_private = tmp_path / "r_media", tmp_path / "r_private"
    counts = backup_restore(
        source=tmp_path / "b",
        database=empty_database,
        media_root=restored_media,
        private_root=restored_private,
    )
    by_table = {count.table: count for count in counts}
    assert (by_table["core_agency"].expected, by_table["core_agency"].actual) == (
        agencies,
        agencies,
    )
    assert by_table["core_user"].actual == users == 3
    assert by_table["core_membership"].actual == memberships == 3
    assert all(count.expected == count.actual for count in counts), counts
    assert _files(restored_media) == _files(media_root)
    assert _files(restored_private) == _files(private_root)

    # The database now holds tables: a second restore into it is refused.
    with pytest.raises(BackupError, match=empty_database["NAME"]):
        backup_restore(
            source=tmp_path / "b",
            database=empty_database,
            media_root=tmp_path / "m2",
            private_root=tmp_path / "p2",
        )
    assert not (tmp_path / "m2").exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_tampered_file_is_refused_before_anything_is_written(media, empty_database, tmp_path):
    AgencyFactory()
    backup_create(target=tmp_path / "b")
    letter = tmp_path / "b" / "private" / "letters" / "答复书.pdf"
    letter.write_bytes(letter.read_bytes()[:-1] + b"X")

    with pytest.raises(BackupError) as refused:
        backup_restore(
            source=tmp_path / "b",
            database=empty_database,
            media_root=tmp_path / "r_media",
            private_root=tmp_path / "r_private",
        )
    assert "private/letters/答复书.pdf" in str(refused.value)
    assert not (tmp_path / "r_media").exists()
    assert not (tmp_path / "r_private").exists()
    import psycopg

    with psycopg.connect(
        dbname=empty_database["NAME"],
        host=empty_database["HOST"] or None,
        port=empty_database["PORT"] or None,
        user=empty_database["USER"] or None,
    ) as conn:
        assert backup._tables(conn.cursor()) == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_media_folder_that_is_not_empty(media, empty_database, tmp_path):
    backup_create(target=tmp_path / "b")
    (tmp_path / "r_media").mkdir()
    (tmp_path / "r_media" / "old.txt").write_text("x")
    with pytest.raises(BackupError, match="r_media"):
        backup_restore(
            source=tmp_path / "b",
            database=empty_database,
            media_root=tmp_path / "r_media",
            private_root=tmp_path / "r_private",
        )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_interrupted_backup_leaves_no_folder(media, tmp_path, monkeypatch):
    def fail(args, env):
        raise KeyboardInterrupt

    monkeypatch.setattr(backup, "_run", fail)
    with pytest.raises(KeyboardInterrupt):
        backup_create(target=tmp_path / "b")
    assert not (tmp_path / "b").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".b.")]


@postgresql_only
def test_a_client_older_than_the_server_is_named(monkeypatch):
    monkeypatch.setattr(backup, "_client_major", lambda path: 14)
    with pytest.raises(BackupError, match="14.*16"):
        backup._check_client("/usr/bin/pg_dump", 160002)
    backup._check_client("/usr/bin/pg_dump", 140010)  # same major: fine


@postgresql_only
@pytest.mark.django_db
def test_an_existing_target_is_refused(tmp_path):
    (tmp_path / "b").mkdir()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "create", str(tmp_path / "b"))


def test_sqlite_is_refused_with_a_reason(tmp_path, settings):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")}
    with pytest.raises(BackupError, match="PostgreSQL.*sqlite3"):
        backup_create(target=tmp_path / "b", database=sqlite)
    with pytest.raises(BackupError, match="PostgreSQL"):
        backup_restore(source=tmp_path / "b", database=sqlite)
    assert not (tmp_path / "b").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the command on a SQLite site")
def test_the_command_on_sqlite_refuses(tmp_path):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("backup", "create", str(tmp_path / "b"))
    assert not (tmp_path / "b").exists()


def test_the_manifest_names_every_problem(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "extra.bin").write_bytes(b"1")
    (tmp_path / "b" / "manifest.json").write_text(
        json.dumps({"files": {"database.dump": "0" * 64}}), encoding="utf-8"
    )
    with pytest.raises(BackupError) as refused:
        backup.backup_verify(source=tmp_path / "b")
    assert "database.dump" in str(refused.value) and "extra.bin" in str(refused.value)
    shutil.rmtree(tmp_path / "b")
    with pytest.raises(BackupError, match="manifest.json"):
        backup.backup_verify(source=tmp_path / "b")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_command_restores_into_the_database_url_it_is_given(media, empty_database, tmp_path):
    """The console script in a process of its own, as an operator runs it: DATABASE_URL and
    the folders from the environment."""
    import os
    import subprocess
    import sys

    MembershipFactory()
    backup_create(target=tmp_path / "b")
    target = empty_database
    url = "postgres://{user}@{host}:{port}/{name}".format(
        user=target["USER"] or "postgres",
        host=target["HOST"] or "127.0.0.1",
        port=target["PORT"] or 5432,
        name=target["NAME"],
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GONGKAI_VAR_DIR": str(tmp_path / "var"),
        "GONGKAI_PRIVATE_ROOT": str(tmp_path / "var" / "private"),
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.local",
        "LANGUAGE": "en",
    }
    command = [sys.executable, "-m", "gongkai", "backup", "restore", str(tmp_path / "b")]
    first = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    assert first.returncode == 0, first.stderr
    assert "core_membership" in first.stdout
    assert _files(tmp_path / "var" / "private") == _files(media[1])
    assert _files(tmp_path / "var" / "media") == _files(media[0])

    second = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    assert second.returncode == 1
    assert target["NAME"] in second.stderr
