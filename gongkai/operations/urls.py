"""Staff pages of the operations records, mounted at /staff/operations/. `agency` is the slug."""

from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("<str:agency>/", views.overview, name="overview"),
    path("<str:agency>/dashboard/", views.dashboard, name="dashboard"),
    path("<str:agency>/fees/", views.fees, name="fees"),
    path("<str:agency>/posts/import/", views.post_import, name="posts-import"),
    path("<str:agency>/complaints/<int:pk>/move/", views.complaint_move, name="complaints-move"),
]
for _slug in views.KINDS:
    urlpatterns += [
        path(f"<str:agency>/{_slug}/", views.record_list, {"kind": _slug}, name=f"{_slug}-list"),
        path(
            f"<str:agency>/{_slug}/new/",
            views.record_create,
            {"kind": _slug},
            name=f"{_slug}-create",
        ),
        path(
            f"<str:agency>/{_slug}/<int:pk>/",
            views.record_edit,
            {"kind": _slug},
            name=f"{_slug}-edit",
        ),
    ]
