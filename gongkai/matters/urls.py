"""Staff pages of the service matters, mounted at /staff/matters/. `agency` is the slug."""

from django.urls import path

from . import views

app_name = "matters"

matter = "<str:agency>/<int:pk>/"

urlpatterns = [
    path("<str:agency>/", views.matter_list, name="matter-list"),
    path("<str:agency>/new/", views.matter_create, name="matter-create"),
    path("<str:agency>/statistics/", views.statistics, name="statistics"),
    path("<str:agency>/configuration/", views.configuration, name="configuration"),
    path("<str:agency>/import/", views.matter_import, name="matter-import"),
    path("<str:agency>/import/confirm/", views.matter_import_confirm, name="matter-import-confirm"),
    path(matter, views.matter_detail, name="matter-detail"),
    path(matter + "edit/", views.matter_edit, name="matter-edit"),
    path(matter + "publish/", views.matter_publish, name="matter-publish"),
    path(matter + "retire/", views.matter_retire, name="matter-retire"),
    path(matter + "reopen/", views.matter_reopen, name="matter-reopen"),
]
