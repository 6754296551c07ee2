"""Staff pages of 回应解读 and 找错, mounted at /staff/engagement/."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import views

app_name = "engagement"

incident = "<slug:agency>/incidents/<id:pk>/"
error = "<slug:agency>/errors/<id:pk>/"

urlpatterns = [
    path("<slug:agency>/", views.overview, name="overview"),
    path("<slug:agency>/incidents/", views.incident_list, name="incident-list"),
    path("<slug:agency>/incidents/new/", views.incident_create, name="incident-create"),
    path(incident, views.incident_detail, name="incident-detail"),
    path(incident + "edit/", views.incident_edit, name="incident-edit"),
    path(incident + "respond/", views.incident_respond, name="incident-respond"),
    path(incident + "close/", views.incident_close, name="incident-close"),
    path(incident + "reopen/", views.incident_reopen, name="incident-reopen"),
    path("<slug:agency>/conferences/", views.conference_list, name="conference-list"),
    path("<slug:agency>/conferences/new/", views.conference_edit, name="conference-create"),
    path(
        "<slug:agency>/conferences/<id:pk>/edit/",
        views.conference_edit,
        name="conference-edit",
    ),
    path("<slug:agency>/interpretations/", views.interpretation_list, name="interpretation-list"),
    path(
        "<slug:agency>/interpretations/check/",
        views.interpretation_check,
        name="interpretation-check",
    ),
    path(
        "<slug:agency>/interpretations/new/",
        views.interpretation_edit,
        name="interpretation-create",
    ),
    path(
        "<slug:agency>/interpretations/<id:pk>/edit/",
        views.interpretation_edit,
        name="interpretation-edit",
    ),
    path("<slug:agency>/errors/", views.error_list, name="error-list"),
    path(error, views.error_detail, name="error-detail"),
    path(error + "assign/", views.error_assign, name="error-assign"),
    path(error + "reply/", views.error_reply, name="error-reply"),
    path(error + "rework/", views.error_rework, name="error-rework"),
    path(error + "close/", views.error_close, name="error-close"),
]
