from django.urls import path

from . import views

app_name = "wording"

urlpatterns = [
    path("", views.terms, name="terms"),
]
