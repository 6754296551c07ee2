"""Staff pages of 依申请公开, mounted at /staff/applications/. `agency` is the slug (or the pk)."""

from django.urls import path

from . import views

app_name = "applications"

one = "<str:agency>/<int:pk>/"

urlpatterns = [
    path("<str:agency>/", views.queue, name="queue"),
    path("<str:agency>/new/", views.register, name="register"),
    path("<str:agency>/export/", views.export, name="export"),
    path("<str:agency>/letter-templates/", views.letter_templates, name="letter-templates"),
    path(
        "<str:agency>/letter-templates/<str:key>/",
        views.letter_template_edit,
        name="letter-template",
    ),
    path(one, views.detail, name="detail"),
    path(one + "reveal/", views.reveal_identity, name="reveal"),
    path(one + "query-code/", views.reset_code, name="reset-code"),
    path(one + "fee-quote/", views.fee_quote, name="fee-quote"),
    path(one + "files/<int:file>/", views.file_download, name="file"),
    path(one + "letters/<int:letter>.<str:fmt>", views.letter_download, name="letter"),
    path(one + "do/<str:name>/", views.action, name="action"),
]
