"""Background tasks of 依申请公开 (gongkai.core.tasks): rendering letters to DOCX and PDF, and the
daily tick of the reply clock (queued by the scheduler, declared in apps.py)."""

from django.utils.translation import gettext as _

from gongkai.core.tasks import task

from . import exports_queue  # noqa: F401 (declares the export task)
from .letters import RENDER_TASK
from .models import Letter


@task(RENDER_TASK)
def render_letter(payload: dict, progress) -> None:
    """Render and store a letter's DOCX and PDF; rerunnable (files already stored are kept)."""
    from .render import ensure_files

    letter = Letter.objects.filter(pk=payload["letter"]).first()
    if letter is None:
        return  # gone with its application (a test database, a purge): nothing to render
    progress(_("rendering the DOCX and PDF"))
    ensure_files(letter)
    progress(_("letter files stored"))


@task("applications.clock_tick")  # formerly core.clock_tick (core.tasks.ALIASES)
def clock_tick(payload: dict, progress) -> None:
    """The daily tick of the reply clock (`gongkai clock tick`); idempotent the same day."""
    from .services import applications_tick

    counts = applications_tick()
    progress(", ".join(f"{key} {value}" for key, value in counts.items()))
