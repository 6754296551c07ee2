"""A test-only URLconf: the project's URLs plus a step that fails after its service saved
(gongkai/core/tests/test_atomic_writes.py)."""

from django.contrib import messages
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path

from gongkai.config.urls import urlpatterns as project_urlpatterns
from gongkai.core import services
from gongkai.core.models import Agency

COMMITTED: list[int] = []


class AnswerFailed(Exception):
    """What a template or a redirect that breaks after the service ran amounts to."""


def rename(request, pk: int):
    """Rename the agency through its service, then answer as `request.POST["answer"]` says."""
    agency = services.agency_update(
        actor=None, agency=Agency.objects.get(pk=pk), data={"name": request.POST["name"]}
    )
    transaction.on_commit(lambda: COMMITTED.append(agency.pk))
    messages.success(request, "renamed")
    answer = request.POST.get("answer", "ok")
    if answer == "raise":
        raise AnswerFailed
    return HttpResponse(status=503 if answer == "503" else 200)


def depth(request):
    """How many atomic blocks are open while the view runs."""
    return HttpResponse(str(len(connection.atomic_blocks)))


urlpatterns = [
    path("test-atomic/rename/<int:pk>/", rename, name="test-atomic-rename"),
    path("test-atomic/depth/", depth, name="test-atomic-depth"),
    *project_urlpatterns,
]
