"""Staff pages of the compliance monitor, mounted at /staff/compliance/."""

from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("<slug:agency>/", views.agency_page, name="agency"),
    path("<slug:agency>/check/", views.check_now, name="check"),
    path("<slug:agency>/matrix/", views.matrix, name="matrix"),
    path("<slug:agency>/matrix/xlsx/", views.matrix_download, name="matrix-xlsx"),
]
