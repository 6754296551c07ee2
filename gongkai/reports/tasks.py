"""Background tasks of the annual reports (gongkai.core.tasks)."""

from gongkai.core.tasks import task

from . import exports_queue, services_batch  # noqa: F401 (exports_queue declares its task)


@task(services_batch.CHECK_TASK)
def check_batch(payload: dict, progress) -> None:
    """Run a supervisor's batch check; rerunnable (the results are computed again)."""
    services_batch.report_check_run(batch_id=payload["batch"], progress=progress)


# formerly core.report_deadline_reminders (core.tasks.ALIASES)
@task("reports.deadline_reminders")
def deadline_reminders(payload: dict, progress) -> None:
    """Log a reminder (JSON log, level WARNING) for each agency whose annual report is due within
    REMINDER_DAYS and not published, or late."""
    from .reminders import report_reminders

    progress(f"{len(report_reminders())} reminders")
