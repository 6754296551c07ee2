"""Staff pages of 依申请公开, mounted at /staff/applications/. `agency` is the slug (or the pk)."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import views

app_name = "applications"

one = "<slug:agency>/<id:pk>/"

urlpatterns = [
    path("<slug:agency>/", views.queue, name="queue"),
    path("<slug:agency>/new/", views.register, name="register"),
    path("<slug:agency>/export/", views.export, name="export"),
    path("<slug:agency>/letter-templates/", views.letter_templates, name="letter-templates"),
    path(
        "<slug:agency>/letter-templates/<str:key>/",
        views.letter_template_edit,
        name="letter-template",
    ),
    path(one, views.detail, name="detail"),
    path(one + "reveal/", views.reveal_identity, name="reveal"),
    path(one + "query-code/", views.reset_code, name="reset-code"),
    path(one + "fee-quote/", views.fee_quote, name="fee-quote"),
    path(one + "files/<id:file>/", views.file_download, name="file"),
    path(one + "letters/<id:letter>.<str:fmt>", views.letter_download, name="letter"),
    path(one + "do/<str:name>/", views.action, name="action"),
]
