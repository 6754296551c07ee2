"""Public pages of this app, mounted in the portal namespace (see gongkai/portal/urls.py):
the 我为政府网站找错 form and the page where a reporter reads the reply."""

from django.urls import path

from . import public_views

urlpatterns: list = [
    path("gk/<slug:agency>/report-error/", public_views.report_error, name="report-error"),
    path(
        "gk/<slug:agency>/report-error/status/",
        public_views.report_error_status,
        name="report-error-status",
    ),
]
