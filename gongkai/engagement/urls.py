"""Staff pages of 回应解读 and 找错, mounted at /staff/engagement/."""

from django.urls import path

from . import views

app_name = "engagement"

incident = "<str:agency>/incidents/<int:pk>/"
error = "<str:agency>/errors/<int:pk>/"

urlpatterns = [
    path("<str:agency>/", views.overview, name="overview"),
    path("<str:agency>/incidents/", views.incident_list, name="incident-list"),
    path("<str:agency>/incidents/new/", views.incident_create, name="incident-create"),
    path(incident, views.incident_detail, name="incident-detail"),
    path(incident + "edit/", views.incident_edit, name="incident-edit"),
    path(incident + "respond/", views.incident_respond, name="incident-respond"),
    path(incident + "close/", views.incident_close, name="incident-close"),
    path(incident + "reopen/", views.incident_reopen, name="incident-reopen"),
    path("<str:agency>/conferences/", views.conference_list, name="conference-list"),
    path("<str:agency>/conferences/new/", views.conference_edit, name="conference-create"),
    path(
        "<str:agency>/conferences/<int:pk>/edit/",
        views.conference_edit,
        name="conference-edit",
    ),
    path("<str:agency>/interpretations/", views.interpretation_list, name="interpretation-list"),
    path(
        "<str:agency>/interpretations/check/",
        views.interpretation_check,
        name="interpretation-check",
    ),
    path(
        "<str:agency>/interpretations/new/",
        views.interpretation_edit,
        name="interpretation-create",
    ),
    path(
        "<str:agency>/interpretations/<int:pk>/edit/",
        views.interpretation_edit,
        name="interpretation-edit",
    ),
    path("<str:agency>/errors/", views.error_list, name="error-list"),
    path(error, views.error_detail, name="error-detail"),
    path(error + "assign/", views.error_assign, name="error-assign"),
    path(error + "reply/", views.error_reply, name="error-reply"),
    path(error + "rework/", views.error_rework, name="error-rework"),
    path(error + "close/", views.error_close, name="error-close"),
]
