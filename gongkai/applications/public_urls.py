"""The public 依申请公开 pages, mounted in the portal's namespace (portal/urls.py)."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import public_views

apply = "gk/<slug:agency>/apply/"

urlpatterns = [
    path(apply, public_views.apply, name="apply"),
    path(apply + "status/", public_views.status, name="application-status"),
    path(apply + "status/leave/", public_views.status_leave, name="application-status-leave"),
    path(apply + "status/correction/", public_views.correction, name="application-correction"),
    path(
        apply + "status/letters/<id:letter>.<str:fmt>",
        public_views.letter_download,
        name="application-letter",
    ),
    path(
        apply + "status/files/<id:file>/",
        public_views.file_download,
        name="application-file",
    ),
]
