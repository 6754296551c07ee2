"""Background tasks of the annual reports (gongkai.core.tasks)."""

from gongkai.core.tasks import task

from . import exports_queue, services_batch  # noqa: F401 (exports_queue declares its task)


@task(services_batch.CHECK_TASK)
def check_batch(payload: dict, progress) -> None:
    """Run a supervisor's batch check; rerunnable (the results are computed again)."""
    services_batch.report_check_run(batch_id=payload["batch"], progress=progress)
