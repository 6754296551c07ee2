"""Public pages of this app, mounted in the portal namespace (see gongkai/portal/urls.py)."""

urlpatterns: list = []
