"""Staff pages of the operations records, mounted at /staff/operations/. `agency` is the slug."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import views

app_name = "operations"

urlpatterns = [
    path("<slug:agency>/", views.overview, name="overview"),
    path("<slug:agency>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:agency>/fees/", views.fees, name="fees"),
    path("<slug:agency>/posts/import/", views.post_import, name="posts-import"),
    path(
        "<slug:agency>/posts/import/confirm/",
        views.post_import_confirm,
        name="posts-import-confirm",
    ),
    path(
        "<slug:agency>/posts/import/runs/<id:pk>/", views.post_import_run, name="posts-import-run"
    ),
    path("<slug:agency>/complaints/<id:pk>/move/", views.complaint_move, name="complaints-move"),
]
for _slug in views.KINDS:
    urlpatterns += [
        path(f"<slug:agency>/{_slug}/", views.record_list, {"kind": _slug}, name=f"{_slug}-list"),
        path(
            f"<slug:agency>/{_slug}/new/",
            views.record_create,
            {"kind": _slug},
            name=f"{_slug}-create",
        ),
        path(
            f"<slug:agency>/{_slug}/<id:pk>/",
            views.record_edit,
            {"kind": _slug},
            name=f"{_slug}-edit",
        ),
    ]
