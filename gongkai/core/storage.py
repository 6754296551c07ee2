"""The private storage: files that only a view with a permission check may hand out.

Letters, applicants' files, catalogue attachments (drafts' included) and staged import files
hold personal or unpublished data. They live under `GONGKAI_PRIVATE_ROOT`, which no URL maps
(MEDIA_ROOT is served as it is by `runserver` in DEBUG and by nginx in production); the download
views check the user first and answer with `private_file_response`. Published attachments reach
the public through the portal's view, which checks that their item is public.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header

PRIVATE = "private"
# Where the private files were stored before they had a storage of their own (imports/: the
# import files waiting for their confirmation, core/staging.py).
PRIVATE_PREFIXES = ("applications/", "letters/", "attachments/", "imports/")


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage under GONGKAI_PRIVATE_ROOT whose files have no URL."""

    @cached_property
    def base_location(self):
        # django-stubs omit _location (set by FileSystemStorage.__init__).
        return self._value_or_setting(self._location, settings.GONGKAI_PRIVATE_ROOT)  # type: ignore[attr-defined]

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "GONGKAI_PRIVATE_ROOT":  # tests point it at a temporary directory
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        # A link straight to the file would skip the permission check.
        raise ValueError("A private file has no URL: serve it through a view that checks the user.")


@checks.register(checks.Tags.security)
def check_private_root(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The private root must not sit inside a folder that is served as it is."""
    private = Path(settings.GONGKAI_PRIVATE_ROOT).resolve()
    errors: list[checks.CheckMessage] = []
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        # a lookup by name of Django's own settings (declared in base.py; Django's defaults
        # are empty), not a default of ours: None only guards a settings module without them
        served = getattr(settings, setting, None)
        if served and private.is_relative_to(Path(served).resolve()):
            errors.append(
                checks.Error(
                    f"GONGKAI_PRIVATE_ROOT ({private}) is inside {setting} ({served}), which is "
                    "served to anyone.",
                    hint="Point GONGKAI_PRIVATE_ROOT at a folder outside it (default: "
                    "GONGKAI_VAR_DIR/private).",
                    id="gongkai.E001",
                )
            )
    return errors


def private_storage() -> Storage:
    """The `storage` of every private FileField (a callable, so settings and tests choose it)."""
    return storages[PRIVATE]


def private_file_response(
    file: FieldFile, *, filename: str, content_type: str, public: bool = False
) -> HttpResponse | FileResponse:
    """The download of a stored file, for a view that has checked the user.

    With GONGKAI_PRIVATE_ACCEL_PREFIX set (production behind nginx), an empty response whose
    X-Accel-Redirect names the file under that internal location: nginx sends the bytes and
    the worker is free at once. Otherwise the file is streamed. `public` (a published
    attachment) leaves caching to the view; anything else is neither stored nor kept.
    Raises FileNotFoundError when the file is gone.
    """
    return private_name_response(
        file.storage, file.name or "", filename=filename, content_type=content_type, public=public
    )


def private_name_response(
    storage: Storage, name: str, *, filename: str, content_type: str, public: bool = False
) -> HttpResponse | FileResponse:
    """`private_file_response` for a file known by its name in `storage` (no model field
    holds it: an export's file, gongkai.core.exports)."""
    prefix = settings.GONGKAI_PRIVATE_ACCEL_PREFIX
    response: HttpResponse | FileResponse
    if not name:
        raise FileNotFoundError(name)
    if prefix:
        if not storage.exists(name):
            raise FileNotFoundError(name)
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(f"{prefix.rstrip('/')}/{name}")
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    return _download_headers(response, filename=filename, public=public)


def private_bytes_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """The download of a file computed for the request (a masked preview), for a view that has
    checked the user: like `private_file_response`, neither stored nor kept."""
    return _download_headers(
        HttpResponse(data, content_type=content_type), filename=filename, public=False
    )


def _download_headers(response, *, filename: str, public: bool):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    if not public:
        response["Cache-Control"] = "private, no-store"
    return response


# --- moving the files stored before the private storage existed ---------------------------


@dataclass
class MoveResult:
    moved: int = 0
    finished: int = 0  # copied by an interrupted run: the public copy removed
    conflicts: list[str] = field(default_factory=list)


def _digest(storage: Storage, name: str) -> str:
    sha = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(2**20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def _walk(storage: Storage, folder: str) -> Iterable[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}")


def move_private_files(
    names: Iterable[str] = (),
    *,
    sweep: bool = False,
    source: Storage | None = None,
    target: Storage | None = None,
    progress: Callable[[str], None] | None = None,
) -> MoveResult:
    """Move `names` (and with `sweep`, anything else under the private fields' folders) from
    the public storage (MEDIA_ROOT) to the private one, under the same names. Rerunnable: a
    name already moved is skipped, a copy an interrupted run left in both places loses its
    public copy; a different file already in the private storage is left alone and reported.
    """
    source = source or storages["default"]
    target = target or private_storage()
    wanted = dict.fromkeys(name for name in names if name)
    if sweep:
        for prefix in PRIVATE_PREFIXES:
            wanted.update(dict.fromkeys(_walk(source, prefix.rstrip("/"))))
    result = MoveResult()
    for name in wanted:
        if not source.exists(name):
            continue  # moved already (or lost: the download views answer 404, letters re-render)
        if target.exists(name):
            if _digest(source, name) != _digest(target, name):
                result.conflicts.append(name)
                continue
            source.delete(name)
            result.finished += 1
        else:
            with source.open(name, "rb") as handle:
                saved = target.save(name, handle)
            if saved != name:  # another process stored the name meanwhile
                target.delete(saved)
                result.conflicts.append(name)
                continue
            source.delete(name)
            result.moved += 1
        if progress is not None:
            progress(name)
    _remove_empty_folders(source)
    return result


def _remove_empty_folders(storage: Storage) -> None:
    """The folders the move emptied under MEDIA_ROOT (on a file system): their names (a year,
    an agency, an application) are nobody's business either."""
    if not isinstance(storage, FileSystemStorage):
        return
    for prefix in PRIVATE_PREFIXES:
        top = Path(storage.path(prefix.rstrip("/")))
        if not top.is_dir():
            continue
        for folder in sorted((p for p in top.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        if not any(top.iterdir()):
            top.rmdir()
