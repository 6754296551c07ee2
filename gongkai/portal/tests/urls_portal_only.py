"""A deployment with the portal's own pages only (no 依申请公开, 找错 or 办事指南 yet)."""

from django.urls import include, path

from gongkai.portal import urls as portal_urls

urlpatterns = [
    path("", include((portal_urls.portal_urlpatterns, "portal"))),
    path("", include("gongkai.core.urls")),
]
