"""The review workflow through the services: the transitions table, four eyes, the review checks,
publication and scheduling, and one audit event per transition in the same transaction."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalogue import services
from gongkai.catalogue.models import Item, ItemReview, ItemStatus, Publication
from gongkai.catalogue.services import ReviewChecks, WorkflowError
from gongkai.catalogue.taxonomy import ChannelKind, PrivacyOverrideReason
from gongkai.catalogue.workflow import MACHINE, Action
from gongkai.core import workflow as kernel
from gongkai.core.models import AuditEvent, Role

from .conftest import ALL_CHECKS, PATH

# {action: (sources, target)}, read from the machine
TRANSITIONS = {name: (MACHINE[name].sources, MACHINE[name].target) for name in MACHINE.names()}


def allowed_actions(status):
    return MACHINE.possible(status)


SHANGHAI = ZoneInfo("Asia/Shanghai")


def perform(action: Action, item: Item, people) -> Item:
    """Call the service behind `action` with an actor allowed to do it and valid arguments."""
    if action is Action.SUBMIT:
        return services.item_submit(actor=people.editor, item=item)
    if action is Action.REJECT:
        return services.item_reject(actor=people.reviewer, item=item, comment="请补充会议时间。")
    if action is Action.APPROVE:
        return services.item_approve(actor=people.reviewer, item=item, checks=ALL_CHECKS)
    if action is Action.PUBLISH:
        return services.item_publish(actor=people.reviewer, item=item)
    return services.item_withdraw(actor=people.reviewer, item=item, reason="内容已过时。")


def events(item: Item, verb: str | None = None):
    found = AuditEvent.objects.filter(object_type="catalogue.item", object_id=str(item.pk))
    return found.filter(verb=verb) if verb else found


def test_every_status_is_covered_by_the_parametrisation():
    assert set(PATH) == set(ItemStatus.values)
    assert {action for action in Action} == set(TRANSITIONS)


def test_the_table_is_the_documented_workflow():
    # 草稿 → 待审核 → 已通过 → 已发布 → 已撤回; returned to 草稿; approved items can be withdrawn.
    legal = {
        (status, action, target)
        for action, (sources, target) in TRANSITIONS.items()
        for status in sources
    }
    assert legal == {
        ("draft", "submit", "pending"),
        ("pending", "reject", "draft"),
        ("pending", "approve", "approved"),
        ("approved", "publish", "published"),
        ("approved", "withdraw", "withdrawn"),
        ("published", "withdraw", "withdrawn"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action), ids=str)
@pytest.mark.parametrize("status", PATH, ids=str)
def test_transitions_table_is_enforced_by_the_services(status, action, item_in, people):
    item = item_in(status)
    sources, target = TRANSITIONS[action]
    before = set(events(item).values_list("pk", flat=True))
    if status in sources:
        perform(action, item, people)
        item.refresh_from_db()
        assert item.status == target
        [event] = events(item).exclude(pk__in=before)
        assert event.verb == f"item.{action}"
        assert event.before == {"status": status}
        assert event.after["status"] == target
        assert event.actor is not None
        assert action in allowed_actions(status)
    else:
        with pytest.raises(WorkflowError) as raised:
            perform(action, item, people)
        assert raised.value.code == "illegal_transition"
        item.refresh_from_db()
        assert item.status == status
        assert not events(item).exclude(pk__in=before).exists()
        assert action not in allowed_actions(status)


# --- one event per transition, in the transition's transaction --------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_a_transition_that_fails_after_its_event_leaves_neither_event_nor_change(
    action, item_in, people, monkeypatch
):
    source = min(TRANSITIONS[action][0], key=PATH.index)
    item = item_in(source)
    before = events(item).count()
    # the step's event is written by the workflow kernel's apply
    real_record = kernel.audit_record

    def record_then_fail(**kwargs):
        event = real_record(**kwargs)
        if kwargs["verb"] == f"item.{action}":
            raise RuntimeError("the database went away")
        return event

    monkeypatch.setattr(kernel, "audit_record", record_then_fail)
    with pytest.raises(RuntimeError):
        perform(action, item, people)
    item.refresh_from_db()
    assert item.status == source
    assert events(item).count() == before
    assert not AuditEvent.objects.filter(verb=f"item.{action}", object_id=str(item.pk)).exists()


@pytest.mark.django_db
def test_approve_and_publish_at_once_writes_one_event_per_transition(item_in, people):
    item = item_in(ItemStatus.PENDING)
    services.item_approve(actor=people.reviewer, item=item, checks=ALL_CHECKS, publish_now=True)
    verbs = list(events(item).order_by("id").values_list("verb", "before", "after"))
    assert [(verb, before) for verb, before, _after in verbs] == [
        ("item.create", None),
        ("item.submit", {"status": "draft"}),
        ("item.approve", {"status": "pending"}),
        ("item.publish", {"status": "approved"}),
    ]
    assert verbs[-1][2]["status"] == "published"


# --- four eyes ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER])
def test_the_submitter_cannot_review_their_own_item(role, town, people, make_member, make_item):
    # An officer may both write and review; a user may hold editor and reviewer together.
    author = make_member(town, Role.EDITOR, "both-hats")
    author = make_member(town, role, "both-hats")
    item = make_item(actor=author)
    services.item_submit(actor=author, item=item)
    with pytest.raises(PermissionDenied):
        services.item_approve(actor=author, item=item, checks=ALL_CHECKS)
    with pytest.raises(PermissionDenied):
        services.item_reject(actor=author, item=item, comment="自己退回")
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING
    assert not ItemReview.objects.filter(item=item).exists()
    # Someone else with a review role can.
    services.item_approve(actor=people.reviewer, item=item, checks=ALL_CHECKS)
    item.refresh_from_db()
    assert (item.status, item.approved_by) == (ItemStatus.APPROVED, people.reviewer)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "outsider", "supervisor"])
def test_only_reviewers_of_the_agency_review(who, item_in, people):
    item = item_in(ItemStatus.PENDING)
    actor = getattr(people, who)
    with pytest.raises(PermissionDenied):
        services.item_approve(actor=actor, item=item, checks=ALL_CHECKS)
    with pytest.raises(PermissionDenied):
        services.item_reject(actor=actor, item=item, comment="不同意")
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


# --- approval and rejection ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["secrecy", "privacy", "wording"])
def test_approval_requires_all_three_checks(missing, item_in, people):
    item = item_in(ItemStatus.PENDING)
    checks = ReviewChecks(**{name: name != missing for name in ("secrecy", "privacy", "wording")})
    with pytest.raises(ValidationError) as raised:
        services.item_approve(actor=people.reviewer, item=item, checks=checks)
    assert raised.value.code == "checks"
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING
    assert item.index_number == ""
    assert not events(item, "item.approve").exists()


@pytest.mark.django_db
def test_approval_records_the_review(item_in, people):
    item = item_in(ItemStatus.PENDING)
    services.item_approve(actor=people.reviewer, item=item, checks=ALL_CHECKS, comment="同意发布")
    review = ItemReview.objects.get(item=item)
    assert review.decision == ItemReview.Decision.APPROVE
    assert (review.check_secrecy, review.check_privacy, review.check_wording) == (True,) * 3
    assert (review.reviewer, review.comment) == (people.reviewer, "同意发布")


@pytest.mark.django_db
@pytest.mark.parametrize("comment", ["", "   \n"])
def test_rejection_requires_a_comment(comment, item_in, people):
    item = item_in(ItemStatus.PENDING)
    with pytest.raises(ValidationError) as raised:
        services.item_reject(actor=people.reviewer, item=item, comment=comment)
    assert "comment" in raised.value.message_dict
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING
    assert not events(item, "item.reject").exists()


@pytest.mark.django_db
def test_rejection_returns_to_draft_and_clears_the_override(item_in, people):
    item = item_in(ItemStatus.PENDING)
    Item.objects.filter(pk=item.pk).update(
        privacy_override=PrivacyOverrideReason.OTHER, privacy_override_note="先前的理由"
    )
    services.item_reject(actor=people.reviewer, item=item, comment="请补充会议时间。")
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    assert (item.privacy_override, item.privacy_override_note) == ("", "")
    review = ItemReview.objects.get(item=item)
    assert (review.decision, review.comment) == (ItemReview.Decision.REJECT, "请补充会议时间。")
    assert events(item, "item.reject").get().after["comment"] == "请补充会议时间。"
    # The author can edit and submit again.
    services.item_update(actor=people.editor, item=item, data={"summary": "已补充"})
    services.item_submit(actor=people.editor, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


# --- withdrawal ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ItemStatus.APPROVED, ItemStatus.PUBLISHED])
@pytest.mark.parametrize("reason", ["", "  "])
def test_withdrawal_requires_a_reason(status, reason, item_in, people):
    item = item_in(status)
    with pytest.raises(ValidationError) as raised:
        services.item_withdraw(actor=people.reviewer, item=item, reason=reason)
    assert "reason" in raised.value.message_dict
    item.refresh_from_db()
    assert item.status == status


@pytest.mark.django_db
def test_withdrawal_keeps_the_reason(item_in, people):
    item = item_in(ItemStatus.PUBLISHED)
    services.item_withdraw(actor=people.officer, item=item, reason="通知时间有误，已重新发布。")
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert item.withdrawn_reason == "通知时间有误，已重新发布。"
    assert events(item, "item.withdraw").get().after["reason"] == item.withdrawn_reason


@pytest.mark.django_db
def test_editors_cannot_withdraw(item_in, people):
    item = item_in(ItemStatus.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.item_withdraw(actor=people.editor, item=item, reason="撤回")


# --- publication ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_creates_the_website_publication_and_sets_the_time(item_in, people, town):
    item = item_in(ItemStatus.APPROVED)
    moment = datetime(2026, 3, 4, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC: the date is Shanghai's
    with time_machine.travel(moment, tick=False):
        services.item_publish(actor=people.reviewer, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.published_at == moment
    [publication] = Publication.objects.filter(item=item)
    assert publication.channel.kind == ChannelKind.WEBSITE
    assert publication.channel.agency == town
    assert publication.published_on == moment.date()
    assert publication.source == Publication.Source.AUTOMATIC


@pytest.mark.django_db
def test_an_item_for_other_channels_only_is_published_without_the_website(
    make_item, advance, people
):
    from gongkai.catalogue.forms import ItemForm
    from gongkai.catalogue.selectors import public_items

    item = make_item(on_website=False)
    advance(item, ItemStatus.PUBLISHED)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert not Publication.objects.filter(item=item).exists()  # its 微信 post is recorded next
    assert not public_items().filter(pk=item.pk).exists()
    # the form asks it the other way round: a post without the box keeps the item on the site
    columns = item.agency.columns.all()
    data = {
        "column": item.column_id,
        "title": "六横镇召开安全生产工作会议",
        "formed_on": "2026-03-02",
        "genre": item.genre,
        "topic": "综合政务",
        "validity": item.validity,
        "disclosure_mode": item.disclosure_mode,
        "scope": item.scope,
    }
    form = ItemForm(data, columns=columns)
    assert form.is_valid(), form.errors
    assert form.service_data()["on_website"] is True
    form = ItemForm({**data, "other_channels_only": "on"}, columns=columns)
    assert form.is_valid() and form.service_data()["on_website"] is False
    assert ItemForm(instance=item, columns=columns)["other_channels_only"].initial is True


@pytest.mark.django_db
def test_approve_with_publish_now_publishes(item_in, people):
    item = item_in(ItemStatus.PENDING)
    services.item_approve(actor=people.reviewer, item=item, checks=ALL_CHECKS, publish_now=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.published_at is not None
    assert item.publications.get().channel.kind == ChannelKind.WEBSITE


@pytest.mark.django_db
def test_editors_cannot_publish(item_in, people):
    item = item_in(ItemStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        services.item_publish(actor=people.editor, item=item)


@pytest.mark.django_db
def test_the_system_may_record_a_past_publication_date(item_in, people):
    item = item_in(ItemStatus.APPROVED)
    when = datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI)
    services.item_publish(actor=None, item=item, published_at=when)
    item.refresh_from_db()
    assert item.published_at == when
    assert item.publications.get().published_on == when.date()
    assert events(item, "item.publish").get().after["published_at"] == when.isoformat()


@pytest.mark.django_db
def test_a_past_publication_date_is_for_the_system_only_and_plausible(item_in, people):
    item = item_in(ItemStatus.APPROVED)  # formed on 2026-03-02
    with pytest.raises(PermissionDenied):
        services.item_publish(
            actor=people.reviewer,
            item=item,
            published_at=datetime(2026, 3, 4, 10, tzinfo=SHANGHAI),
        )
    with pytest.raises(ValidationError):  # before the document existed
        services.item_publish(
            actor=None, item=item, published_at=datetime(2026, 3, 1, 10, tzinfo=SHANGHAI)
        )
    with pytest.raises(ValidationError):  # in the future
        services.item_publish(
            actor=None, item=item, published_at=datetime.now(SHANGHAI) + timedelta(days=1)
        )
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED


# --- scheduled publication -------------------------------------------------------------------


@pytest.mark.django_db
def test_items_publish_due_publishes_only_due_items_once(item_in, people):
    nine = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    due = item_in(ItemStatus.PENDING, title="到期的信息")
    later = item_in(ItemStatus.PENDING, title="尚未到期的信息")
    manual = item_in(ItemStatus.APPROVED, title="等待手动发布的信息")
    withdrawn = item_in(ItemStatus.PENDING, title="撤回的信息")
    for item, when in ((due, nine), (later, nine + timedelta(days=1)), (withdrawn, nine)):
        services.item_approve(
            actor=people.reviewer, item=item, checks=ALL_CHECKS, scheduled_at=when
        )
    services.item_withdraw(actor=people.reviewer, item=withdrawn, reason="不再发布")

    assert services.items_publish_due(now=nine - timedelta(seconds=1)) == []
    with time_machine.travel(nine + timedelta(minutes=5), tick=False):
        published = services.items_publish_due()
        assert [item.pk for item in published] == [due.pk]
        assert services.items_publish_due() == []  # idempotent
    statuses = dict(Item.objects.values_list("pk", "status"))
    assert statuses[due.pk] == ItemStatus.PUBLISHED
    assert statuses[later.pk] == ItemStatus.APPROVED
    assert statuses[manual.pk] == ItemStatus.APPROVED
    assert statuses[withdrawn.pk] == ItemStatus.WITHDRAWN
    due.refresh_from_db()
    assert due.published_at == nine + timedelta(minutes=5)
    assert due.publications.get().channel.kind == ChannelKind.WEBSITE
    assert events(due, "item.publish").count() == 1
    assert events(due, "item.publish").get().actor is None  # the system published it
