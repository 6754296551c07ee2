"""Staff pages of the catalogue, mounted at /staff/catalogue/. `agency` is the slug (or the pk)."""

from django.urls import path

from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)

from . import views, views_attachments, views_editor, views_import, views_lists, views_settings

app_name = "catalogue"

item = "<slug:agency>/items/<id:pk>/"

urlpatterns = [
    path("<slug:agency>/", views.columns, name="columns"),
    path("<slug:agency>/columns/new/", views.column_create, name="column-create"),
    path("<slug:agency>/columns/<id:pk>/", views.column_edit, name="column-edit"),
    path("<slug:agency>/items/", views.item_list, name="item-list"),
    path("<slug:agency>/items/new/", views.item_create, name="item-create"),
    path("<slug:agency>/items/new/import/", views_editor.item_form_import, name="item-new-import"),
    path("<slug:agency>/items/new/files/", views_editor.item_form_files, name="item-new-files"),
    path("<slug:agency>/items/findings/", views_editor.item_form_findings, name="item-findings"),
    path("<slug:agency>/items/bulk/", views_lists.item_bulk, name="item-bulk"),
    path("<slug:agency>/items/export.xlsx", views_lists.item_export, name="item-export"),
    path("<slug:agency>/items/import/", views_import.item_import, name="item-import"),
    path(
        "<slug:agency>/items/import/confirm/",
        views_import.item_import_confirm,
        name="item-import-confirm",
    ),
    path(
        "<slug:agency>/items/import/runs/<id:pk>/",
        views_import.item_import_run,
        name="item-import-run",
    ),
    path(
        "<slug:agency>/items/import/template.xlsx",
        views_import.item_import_template,
        name="item-import-template",
    ),
    path("<slug:agency>/overdue/", views.overdue, name="overdue"),
    path("<slug:agency>/review/", views.review_queue, name="review-queue"),
    path("<slug:agency>/channels/", views.channels, name="channels"),
    path("<slug:agency>/settings/", views_settings.catalogue_settings, name="settings"),
    path("<slug:agency>/channels/new/", views.channel_create, name="channel-create"),
    path(
        "<slug:agency>/channels/<id:channel>/import/",
        views_import.publication_import,
        name="publication-import",
    ),
    path(
        "<slug:agency>/channels/<id:channel>/import/confirm/",
        views_import.publication_import_confirm,
        name="publication-import-confirm",
    ),
    path(
        "<slug:agency>/channels/<id:channel>/import/runs/<id:pk>/",
        views_import.publication_import_run,
        name="publication-import-run",
    ),
    path(item, views.item_detail, name="item-detail"),
    path(item + "edit/", views.item_edit, name="item-edit"),
    path(item + "edit/import/", views_editor.item_form_import, name="item-edit-import"),
    path(item + "edit/files/", views_editor.item_form_files, name="item-edit-files"),
    path(item + "attachments/", views_attachments.attachment_add, name="attachment-add"),
    path(
        item + "attachments/<id:attachment>/",
        views_attachments.attachment_download,
        name="attachment-download",
    ),
    path(
        item + "attachments/<id:attachment>/remove/",
        views_attachments.attachment_remove,
        name="attachment-remove",
    ),
    path(
        item + "attachments/<id:attachment>/mask/",
        views_attachments.attachment_mask,
        name="attachment-mask",
    ),
    path(
        item + "attachments/<id:attachment>/mask/preview/",
        views_attachments.attachment_mask_preview,
        name="attachment-mask-preview",
    ),
    path(
        item + "attachments/<id:attachment>/original/",
        views_attachments.attachment_original,
        name="attachment-original",
    ),
    path(
        item + "attachments/<id:attachment>/ocr-checked/",
        views_attachments.attachment_ocr_checked,
        name="attachment-ocr-checked",
    ),
    path(
        item + "attachments/<id:attachment>/scan/<id:page>.png",
        views_attachments.attachment_scan_page,
        name="attachment-scan-page",
    ),
    path(item + "mask/", views.item_mask, name="item-mask"),
    path(item + "submit/", views.item_submit, name="item-submit"),
    path(item + "return/", views.item_reject, name="item-return"),
    path(item + "approve/", views.item_approve, name="item-approve"),
    path(item + "publish/", views.item_publish, name="item-publish"),
    path(item + "withdraw/", views.item_withdraw, name="item-withdraw"),
    path(item + "publications/", views.publication_record, name="publication-record"),
]
