"""Backups of the database and the stored files (`gongkai backup create|restore`).

A backup is a folder:

    manifest.json     when, which version and migrations, the row count of every table, the
                      SHA-256 of every other file
    database.dump     pg_dump --format=custom, taken in the same snapshot as the row counts
    media/...         a copy of MEDIA_ROOT (public files)
    private/...       a copy of GONGKAI_PRIVATE_ROOT (letters, applicants' files, attachments)

PostgreSQL only: on SQLite both actions refuse (copy the database file while nothing runs).
`create` writes into a hidden folder beside the target and renames it at the end, so an
interrupted run leaves no half backup under the target's name. `restore` checks every checksum
first and writes only into an empty database and empty media folders; there is no --force.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

import gongkai

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
PRIVATE = "private"
FORMAT_VERSION = 1

# (description, done, total): the command draws it as a progress bar.
Progress = Callable[[str, int, int], None]


class BackupError(Exception):
    """A backup or a restore refused or failed; the message is for the operator."""


@dataclass(frozen=True)
class TableCount:
    table: str
    expected: int
    actual: int | None


def _noop(description: str, done: int, total: int) -> None:
    pass


# --- database connection ------------------------------------------------------------------


def _database(database: dict | None) -> dict:
    if database is None:
        database = dict(settings.DATABASES["default"])  # a plain dict of the settings' TypedDict
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            _(
                "Backups need PostgreSQL (DATABASE_URL=postgres://…); this database is %(engine)s. "
                "For SQLite, stop the server and copy the database file and the media folders."
            )
            % {"engine": database["ENGINE"].rsplit(".", 1)[-1]}
        )
    return database


def _libpq_env(database: dict) -> dict[str, str]:
    """The PG* variables pg_dump/pg_restore read: no password on the command line."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(key):
            env[var] = str(database[key])
    return env


def _connect(database: dict):
    import psycopg

    kwargs = {"dbname": database["NAME"]}
    for key, arg in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if database.get(key):
            kwargs[arg] = str(database[key])
    return psycopg.connect(**kwargs)


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor) -> dict[str, int]:
    from psycopg import sql

    counts = {}
    for table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _client(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(name)s was not found on PATH: install the PostgreSQL client (postgresql-client).")
            % {"name": name}
        )
    return path


def _client_major(path: str) -> int:
    # The program comes from shutil.which and the arguments are ours: no shell, no user input.
    output = subprocess.run(  # noqa: S603
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise BackupError(_("Could not read the version of %(path)s.") % {"path": path})
    return int(match.group(1))


def _check_client(path: str, server_version_num: int) -> None:
    client, server = _client_major(path), server_version_num // 10000
    if client < server:
        raise BackupError(
            _(
                "%(path)s is PostgreSQL %(client)d, older than the server (%(server)d): install "
                "the client of version %(server)d or later."
            )
            % {"path": path, "client": client, "server": server}
        )


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(args[0]).name, "error": result.stderr.strip()}
        )


# --- files -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _copy_tree(source: Path, target: Path, description: str, progress: Progress) -> None:
    files = _files(source)
    for done, path in enumerate(files, start=1):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        progress(description, done, len(files))


def _media_roots(media_root: Path | None, private_root: Path | None) -> dict[str, Path]:
    return {
        MEDIA: Path(settings.MEDIA_ROOT if media_root is None else media_root),
        PRIVATE: Path(settings.GONGKAI_PRIVATE_ROOT if private_root is None else private_root),
    }


# --- create ------------------------------------------------------------------------------


def backup_create(
    *,
    target: Path,
    database: dict | None = None,
    media_root: Path | None = None,
    private_root: Path | None = None,
    progress: Progress = _noop,
) -> dict:
    """Write a backup into the folder `target` (which must not exist); return the manifest."""
    database = _database(database)
    target = Path(target)
    if target.exists():
        raise BackupError(_("%(path)s already exists: choose a new folder.") % {"path": target})
    pg_dump = _client("pg_dump")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        with _connect(database) as conn:
            # The row counts and the dump read one snapshot: what the manifest counts is what
            # the dump holds, even while the site keeps writing.
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor = conn.cursor()
            cursor.execute("SHOW server_version_num")
            server_version_num = int(cursor.fetchone()[0])
            _check_client(pg_dump, server_version_num)
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            progress(_("Counting rows"), 0, 1)
            counts = _row_counts(cursor)
            cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
            migrations = dict(cursor.fetchall())
            progress(_("Dumping the database"), 0, 1)
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={work / DUMP}"],
                _libpq_env(database),
            )
            progress(_("Dumping the database"), 1, 1)
            conn.rollback()
        for folder, root in _media_roots(media_root, private_root).items():
            _copy_tree(root, work / folder, _("Copying %(folder)s") % {"folder": folder}, progress)
        files = [path for path in _files(work)]
        checksums = {}
        for done, path in enumerate(files, start=1):
            checksums[path.relative_to(work).as_posix()] = _sha256(path)
            progress(_("Checksums"), done, len(files))
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(),
            "app_version": gongkai.__version__,
            "database_engine": "postgresql",
            "server_version_num": server_version_num,
            "migrations": migrations,
            "row_counts": counts,
            "files": checksums,
        }
        (work / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
        )
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


# --- restore -----------------------------------------------------------------------------


def backup_verify(*, source: Path) -> dict:
    """The manifest of the backup in `source` once every file matches its checksum."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            _("%(path)s holds no readable manifest.json: not a backup.") % {"path": source}
        ) from None
    listed = manifest.get("files", {})
    present = {path.relative_to(source).as_posix() for path in _files(source)} - {MANIFEST}
    problems = [_("missing: %(name)s") % {"name": name} for name in sorted(set(listed) - present)]
    problems += [
        _("not listed: %(name)s") % {"name": name} for name in sorted(present - set(listed))
    ]
    for name in sorted(set(listed) & present):
        if _sha256(source / name) != listed[name]:
            problems.append(_("checksum differs: %(name)s") % {"name": name})
    if DUMP not in listed:
        problems.append(_("missing: %(name)s") % {"name": DUMP})
    if problems:
        raise BackupError(
            _("The backup is damaged; nothing was restored. %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    return manifest


def backup_restore(
    *,
    source: Path,
    database: dict | None = None,
    media_root: Path | None = None,
    private_root: Path | None = None,
    progress: Progress = _noop,
) -> list[TableCount]:
    """Restore the backup in `source` into an empty database and empty media folders.

    Returns each table's row count in the manifest against the restored database's.
    """
    database = _database(database)
    source = Path(source)
    progress(_("Verifying checksums"), 0, 1)
    manifest = backup_verify(source=source)
    progress(_("Verifying checksums"), 1, 1)
    pg_restore = _client("pg_restore")
    roots = _media_roots(media_root, private_root)
    with _connect(database) as conn:
        cursor = conn.cursor()
        cursor.execute("SHOW server_version_num")
        _check_client(pg_restore, int(cursor.fetchone()[0]))
        tables = _tables(cursor)
    if tables:
        raise BackupError(
            _(
                "The database %(name)s is not empty (%(count)d tables); a backup is restored only "
                "into an empty database. Nothing was restored."
            )
            % {"name": database["NAME"], "count": len(tables)}
        )
    for root in roots.values():
        if root.exists() and any(root.iterdir()):
            raise BackupError(_("%(path)s is not empty; nothing was restored.") % {"path": root})
    progress(_("Restoring the database"), 0, 1)
    _run(
        [
            pg_restore,
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database['NAME']}",
            str(source / DUMP),
        ],
        _libpq_env(database),
    )
    progress(_("Restoring the database"), 1, 1)
    for folder, root in roots.items():
        _copy_tree(source / folder, root, _("Copying %(folder)s") % {"folder": folder}, progress)
    with _connect(database) as conn:
        actual = _row_counts(conn.cursor())
    expected = manifest["row_counts"]
    return [
        TableCount(table=table, expected=expected.get(table, 0), actual=actual.get(table))
        for table in sorted(set(expected) | set(actual))
    ]
