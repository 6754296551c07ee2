"""Public pages of the annual reports, mounted in the portal namespace."""

urlpatterns: list = []
