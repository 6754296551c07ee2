# ruff: noqa: F811 — the fixtures imported from test_views are redefined as test arguments
"""Four eyes by author, not by submitter (issue 13, finding 5): whoever changed an item's content
(its fields or attachments) since its last approval cannot review it, whoever submitted it.

The item is returned by the officer, changed by the officer, resubmitted by the editor: the
officer must not be the one who approves it. Through the staff pages and the services; the API
does the same in gongkai/api/tests/test_api_four_eyes.py.
"""

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.catalogue import selectors, services
from gongkai.catalogue.models import Attachment, ItemReview, ItemStatus

from .test_views import (  # noqa: F401 — fixtures shared with test_views
    ALL_CHECKS,
    column,
    fixed_now,
    item,
    make_item,
    media,
    people,
    submitted,
    town,
    url,
)
from .test_views_workflow import CHECKS, item_form, png_bytes, status_of, upload


def returned(item, people):
    """Submitted by the editor, returned by the officer: a draft again."""
    submitted(item, people.editor)
    services.item_reject(actor=people.officer, item=item, comment="请补充会议时间。")
    assert status_of(item) == ItemStatus.DRAFT


def assert_officer_cannot_review(client, town, item, people):
    client.force_login(people.officer)
    page = client.get(url("item-detail", town, item.pk))
    assert page.context["own_content"] and not page.context["can"]["approve"]
    assert item not in selectors.review_queue(people.officer)
    response = client.post(url("item-approve", town, item.pk), CHECKS)
    assert response.status_code == 403
    assert status_of(item) == ItemStatus.PENDING
    assert not ItemReview.objects.filter(item=item, decision="approve").exists()
    with pytest.raises(PermissionDenied):
        services.item_reject(actor=people.officer, item=item, comment="再退回")


def assert_another_reviewer_approves(client, town, item, people):
    assert item in selectors.review_queue(people.reviewer)
    client.force_login(people.reviewer)
    assert client.post(url("item-approve", town, item.pk), CHECKS).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.approved_by) == (ItemStatus.APPROVED, people.reviewer)
    # The approved version is the reference: nobody has changed it since.
    assert not item.content_authors.exists()


def test_an_edit_through_the_staff_form_bars_its_author_from_approving(
    client, town, column, people, item
):
    returned(item, people)
    client.force_login(people.officer)
    response = client.post(
        url("item-edit", town, item.pk), item_form(column, title="专员改写的标题")
    )
    assert response.status_code == 302
    submitted(item, people.editor)  # the editor resubmits: the submitter is not the officer
    assert_officer_cannot_review(client, town, item, people)
    assert_another_reviewer_approves(client, town, item, people)


def test_an_attachment_upload_counts_as_a_content_change(client, town, people, item, media):
    returned(item, people)
    client.force_login(people.officer)
    assert upload(client, town, item, "名单.png", png_bytes()).status_code == 302
    submitted(item, people.editor)
    assert_officer_cannot_review(client, town, item, people)
    assert_another_reviewer_approves(client, town, item, people)


def test_removing_an_attachment_counts_as_a_content_change(client, town, people, item, media):
    attachment = services.attachment_add(
        actor=people.editor, item=item, name="名单.png", data=png_bytes()
    )
    returned(item, people)
    client.force_login(people.officer)
    response = client.post(url("attachment-remove", town, item.pk, attachment.pk))
    assert response.status_code == 302
    assert not Attachment.objects.filter(item=item).exists()
    submitted(item, people.editor)
    assert_officer_cannot_review(client, town, item, people)


def test_masking_counts_as_a_content_change(client, town, column, people):
    item = make_item(town, column, people.editor, body="<p>联系人张三，电话13812345678。</p>")
    services.item_mask_findings(actor=people.officer, item=item)
    submitted(item, people.editor)
    assert_officer_cannot_review(client, town, item, people)


def test_the_creator_cannot_approve_what_someone_else_submitted(client, town, column, people):
    item = make_item(town, column, people.officer)
    submitted(item, people.editor)
    with pytest.raises(PermissionDenied):
        services.item_approve(actor=people.officer, item=item, checks=ALL_CHECKS)
    assert status_of(item) == ItemStatus.PENDING


def test_a_save_that_changes_nothing_is_no_authorship(client, town, column, people, item):
    returned(item, people)
    services.item_update(actor=people.officer, item=item, data={"title": item.title})
    submitted(item, people.editor)
    services.item_approve(actor=people.officer, item=item, checks=ALL_CHECKS)
    assert status_of(item) == ItemStatus.APPROVED


def test_the_migration_finds_the_authors_in_the_audit_trail(client, town, column, people, media):
    from importlib import import_module

    from django.apps import apps

    from gongkai.catalogue.models import Item

    migration = import_module("gongkai.catalogue.migrations.0004_item_content_authors")
    draft = make_item(town, column, people.editor)
    services.item_update(actor=people.officer, item=draft, data={"title": "专员改写"})
    pending = make_item(town, column, people.editor)
    services.attachment_add(actor=people.officer, item=pending, name="a.png", data=png_bytes())
    services.item_submit(actor=people.editor, item=pending)
    approved = make_item(town, column, people.officer)
    submitted(approved, people.editor)
    services.item_approve(actor=people.reviewer, item=approved, checks=ALL_CHECKS)
    recorded = {item.pk: set(item.content_authors.all()) for item in Item.objects.all()}
    assert recorded == {
        draft.pk: {people.editor, people.officer},
        pending.pk: {people.editor, people.officer},
        approved.pk: set(),
    }
    Item.content_authors.through.objects.all().delete()
    migration.backfill(apps, None)
    assert {item.pk: set(item.content_authors.all()) for item in Item.objects.all()} == recorded
