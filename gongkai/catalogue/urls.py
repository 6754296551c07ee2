"""Staff pages of the catalogue, mounted at /staff/catalogue/. `agency` is the slug (or the pk)."""

from django.urls import path

from . import views

app_name = "catalogue"

item = "<str:agency>/items/<int:pk>/"

urlpatterns = [
    path("<str:agency>/", views.columns, name="columns"),
    path("<str:agency>/columns/new/", views.column_create, name="column-create"),
    path("<str:agency>/columns/<int:pk>/", views.column_edit, name="column-edit"),
    path("<str:agency>/items/", views.item_list, name="item-list"),
    path("<str:agency>/items/new/", views.item_create, name="item-create"),
    path("<str:agency>/items/import/", views.item_import, name="item-import"),
    path(
        "<str:agency>/items/import/confirm/",
        views.item_import_confirm,
        name="item-import-confirm",
    ),
    path(
        "<str:agency>/items/import/template.xlsx",
        views.item_import_template,
        name="item-import-template",
    ),
    path("<str:agency>/overdue/", views.overdue, name="overdue"),
    path("<str:agency>/review/", views.review_queue, name="review-queue"),
    path("<str:agency>/channels/", views.channels, name="channels"),
    path("<str:agency>/channels/new/", views.channel_create, name="channel-create"),
    path(
        "<str:agency>/channels/<int:channel>/import/",
        views.publication_import,
        name="publication-import",
    ),
    path(
        "<str:agency>/channels/<int:channel>/import/confirm/",
        views.publication_import_confirm,
        name="publication-import-confirm",
    ),
    path(item, views.item_detail, name="item-detail"),
    path(item + "edit/", views.item_edit, name="item-edit"),
    path(item + "attachments/", views.attachment_add, name="attachment-add"),
    path(
        item + "attachments/<int:attachment>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        item + "attachments/<int:attachment>/remove/",
        views.attachment_remove,
        name="attachment-remove",
    ),
    path(item + "mask/", views.item_mask, name="item-mask"),
    path(item + "submit/", views.item_submit, name="item-submit"),
    path(item + "return/", views.item_reject, name="item-return"),
    path(item + "approve/", views.item_approve, name="item-approve"),
    path(item + "publish/", views.item_publish, name="item-publish"),
    path(item + "withdraw/", views.item_withdraw, name="item-withdraw"),
    path(item + "publications/", views.publication_record, name="publication-record"),
]
