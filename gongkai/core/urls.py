from django.contrib.auth import views as auth_views
from django.urls import path

from . import converters, ops, views, views_exports  # noqa: F401 (converters registers <id:…>)

app_name = "core"

urlpatterns = [
    # django-axes (gongkai.core.lockout) guards this and the admin's login alike.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/agencies/<id:pk>/", views.agency_detail, name="agency-detail"),
    path("staff/agencies/<id:pk>/audit/", views.agency_audit, name="agency-audit"),
    path("staff/calendar/", views.calendar, name="calendar"),
    # a staff export built in the background (gongkai.core.exports): its page and its file
    path("staff/exports/<id:pk>/", views_exports.export_detail, name="export"),
    path("staff/exports/<id:pk>/file/", views_exports.export_file, name="export-file"),
    # For the operator's machines (gongkai.core.ops): liveness, readiness, Prometheus.
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
]
