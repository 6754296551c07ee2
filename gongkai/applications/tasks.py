"""Background tasks of 依申请公开 (gongkai.core.tasks): rendering letters to DOCX and PDF."""

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
