"""Staff pages of the annual reports, mounted at /staff/reports/. `agency` is the slug."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import views, views_matrix, views_rollup

app_name = "reports"

report = "<slug:agency>/<year:year>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:agency>/", views.report_list, name="report-list"),
    path("<slug:agency>/start/", views.report_start, name="report-start"),
    path("<slug:agency>/yoy/", views_rollup.yoy, name="yoy"),
    path("<slug:agency>/publishing/", views_matrix.publishing, name="publishing"),
    path("<slug:agency>/deadlines/", views_matrix.deadlines, name="deadlines"),
    path("<slug:agency>/import/", views_matrix.imported_upload, name="import"),
    path(report, views.report_detail, name="report"),
    path(report + "entries/", views.entry_set, name="entry-set"),
    path(report + "rollup/", views_rollup.rollup, name="rollup"),
    path(report + "matrix/", views_matrix.matrix, name="matrix"),
    path(report + "matrix/xlsx/", views_matrix.matrix_download, name="matrix-xlsx"),
    path(report + "narrative/", views.narrative_set, name="narrative-set"),
    path(report + "narrative/draft/", views.narrative_draft, name="narrative-draft"),
    path(report + "transition/", views.report_transition, name="report-transition"),
    path(report + "download/<str:kind>/", views.report_download, name="report-download"),
    path(report + "export/<str:kind>/", views.report_export, name="report-export"),
]

# the supervisor's batch check (gongkai/reports/views_batch.py)
from . import views_batch  # noqa: E402

checks = "<slug:agency>/checks/"
urlpatterns += [
    path(checks, views_batch.check_list, name="check-list"),
    path(checks + "new/", views_batch.check_start, name="check-start"),
    path(checks + "<id:pk>/", views_batch.check_detail, name="check"),
    path(checks + "<id:pk>/xlsx/", views_batch.check_download, name="check-xlsx"),
]
