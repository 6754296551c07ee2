"""Staff pages of the service matters, mounted at /staff/matters/. `agency` is the slug."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import views

app_name = "matters"

matter = "<slug:agency>/<id:pk>/"

urlpatterns = [
    path("<slug:agency>/", views.matter_list, name="matter-list"),
    path("<slug:agency>/new/", views.matter_create, name="matter-create"),
    path("<slug:agency>/statistics/", views.statistics, name="statistics"),
    path("<slug:agency>/configuration/", views.configuration, name="configuration"),
    path("<slug:agency>/import/", views.matter_import, name="matter-import"),
    path(
        "<slug:agency>/import/confirm/", views.matter_import_confirm, name="matter-import-confirm"
    ),
    path("<slug:agency>/import/runs/<id:pk>/", views.matter_import_run, name="matter-import-run"),
    path(matter, views.matter_detail, name="matter-detail"),
    path(matter + "edit/", views.matter_edit, name="matter-edit"),
    path(matter + "publish/", views.matter_publish, name="matter-publish"),
    path(matter + "retire/", views.matter_retire, name="matter-retire"),
    path(matter + "reopen/", views.matter_reopen, name="matter-reopen"),
]
