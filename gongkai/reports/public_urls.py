"""Public pages of the annual reports, mounted in the portal namespace."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import public_views

urlpatterns: list = [
    path("gk/<slug:agency>/reports/", public_views.report_list, name="annual-reports"),
    path("gk/<slug:agency>/reports/<year:year>/", public_views.report_detail, name="annual-report"),
    path(
        "gk/<slug:agency>/reports/<year:year>/<str:kind>/",
        public_views.report_download,
        name="annual-report-download",
    ),
]
