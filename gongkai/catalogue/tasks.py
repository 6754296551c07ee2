"""Background tasks of the catalogue (gongkai.core.tasks)."""

from django.utils.translation import gettext as _

from gongkai.core.tasks import task

from . import exports_queue, services  # noqa: F401 (exports_queue declares its export tasks)


@task(services.OCR_TASK)
def ocr_attachment(payload: dict, progress) -> None:
    """Read an uploaded scan by OCR; rerunnable (the service skips what is read already)."""

    def pages(done: int, total: int) -> None:
        progress(_("page %(done)d of %(total)d read") % {"done": done, "total": total})

    services.attachment_ocr_apply(attachment_id=payload["attachment"], progress=pages)


@task(services.DRAFT_EXPIRE_TASK)
def expire_drafts(payload: dict, progress) -> None:
    """Remove files of item forms never saved (`gongkai catalogue expire-drafts`); daily."""
    progress(f"removed {services.draft_attachments_expire()}")


@task("catalogue.publish_due")  # formerly core.publish_due (core.tasks.ALIASES)
def publish_due(payload: dict, progress) -> None:
    """Publish approved items whose time has come (`gongkai catalogue publish-due`)."""
    progress(f"published {len(services.items_publish_due())}")


@task("catalogue.import_items")
def import_items(payload: dict, progress) -> None:
    """Import a confirmed items file, all or nothing; a rerun of a finished import does
    nothing (see imports_queue)."""
    from . import imports_queue

    imports_queue.items_import_run(payload=payload, progress=progress)


@task("catalogue.import_publications")
def import_publications(payload: dict, progress) -> None:
    """Record a confirmed file of a channel's posts, all or nothing; a rerun of a finished
    import does nothing (see imports_queue)."""
    from . import imports_queue

    imports_queue.publications_import_run(payload=payload, progress=progress)
