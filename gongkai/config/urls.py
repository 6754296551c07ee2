from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/catalogue/", include("gongkai.catalogue.urls")),
    path("staff/applications/", include("gongkai.applications.urls")),
    path("staff/engagement/", include("gongkai.engagement.urls")),
    path("staff/matters/", include("gongkai.matters.urls")),
    path("staff/operations/", include("gongkai.operations.urls")),
    path("staff/reports/", include("gongkai.reports.urls")),
    path("staff/compliance/", include("gongkai.compliance.urls")),
    path("staff/wording/", include("gongkai.wording.urls")),
    path("api/v1/", include("gongkai.api.urls")),
    path("", include("gongkai.core.urls")),
    path("", include("gongkai.portal.urls")),
]

if settings.GONGKAI_SERVE_MEDIA:
    # `make run` has no nginx in front: the app serves the public files itself (never the
    # private ones, which no URL maps).
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
