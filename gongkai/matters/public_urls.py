"""Public pages of this app, mounted in the portal namespace (see gongkai/portal/urls.py)."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import public_views

urlpatterns: list = [
    path("gk/<slug:agency>/guides/", public_views.guide_list, name="service-guides"),
    path("gk/<slug:agency>/guides/<id:pk>/", public_views.guide_detail, name="service-guide"),
]
