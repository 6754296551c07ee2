"""For the tests of views that start an export (gongkai.core.exports): run its task as the
worker would and fetch the finished file through the export's page, as the user would."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import resolve, reverse

from gongkai.core.models import Task, TaskStatus
from gongkai.core.tasks import run_task


@dataclass
class Fetched:
    task: Task
    page: object  # the export's page once the file is there
    response: object  # the file's response
    content: bytes


def started_export(response) -> Task:
    """The export a view's answer (a redirect to the export's page) started."""
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "core:export", match.view_name
    return Task.objects.get(pk=match.kwargs["pk"])


def fetch_export(client, response) -> Fetched:
    """Run the export `response` started, then read its page and download its file."""
    task = started_export(response)
    assert task.status == TaskStatus.QUEUED
    assert run_task(task.pk).status == TaskStatus.DONE
    page = client.get(reverse("core:export", args=[task.pk]))
    assert page.status_code == 200 and page.context["export"].ready
    assert "Refresh" not in page.headers
    file_url = reverse("core:export-file", args=[task.pk])
    assert file_url in page.content.decode()
    got = client.get(file_url)
    assert got.status_code == 200, got.status_code
    content = b"".join(got.streaming_content) if got.streaming else got.content
    task.refresh_from_db()
    return Fetched(task=task, page=page, response=got, content=content)
