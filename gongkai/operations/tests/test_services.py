"""Services of each record type: validation, permissions, audit; the complaint workflow."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.operations import services
from gongkai.operations.models import (
    AccountStatus,
    ComplaintChannel,
    ComplaintStatus,
    MeetingKind,
    Platform,
)

pytestmark = pytest.mark.django_db


def _events(verb):
    return list(AuditEvent.objects.filter(verb=verb))


def test_office_year_create_update_and_audit(town, people):
    office = services.office_year_create(
        actor=people.officer, agency=town, year=2026, units=1, full_time_staff=1
    )
    assert (office.units, office.full_time_staff, office.part_time_staff) == (1, 1, 0)
    [created] = _events("office_year.create")
    assert created.actor == people.officer and created.agency == town
    services.office_year_update(actor=people.head, office=office, data={"part_time_staff": 3})
    [updated] = _events("office_year.update")
    assert updated.before == {"part_time_staff": 0} and updated.after == {"part_time_staff": 3}


def test_office_year_is_once_per_year(town, people):
    services.office_year_create(
        actor=people.officer, agency=town, year=2026, units=1, full_time_staff=1
    )
    with pytest.raises(ValidationError) as excinfo:
        services.office_year_create(
            actor=people.officer, agency=town, year=2026, units=1, full_time_staff=2
        )
    assert "year" in excinfo.value.message_dict


def test_office_year_update_refuses_unknown_fields(town, people):
    office = services.office_year_create(
        actor=None, agency=town, year=2026, units=1, full_time_staff=1
    )
    with pytest.raises(ValidationError):
        services.office_year_update(actor=people.officer, office=office, data={"agency": None})


@pytest.mark.parametrize("who", ["editor", "outsider", "supervisor"])
def test_only_the_office_keeps_records(town, people, who):
    actor = getattr(people, who)
    with pytest.raises(PermissionDenied):
        services.office_year_create(actor=actor, agency=town, year=2026, units=1, full_time_staff=1)
    with pytest.raises(PermissionDenied):
        services.fund_create(
            actor=actor, agency=town, year=2026, amount_wan=Decimal("1"), purpose="x"
        )
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=actor, agency=town, held_on=date(2026, 3, 1), title="x", kind=MeetingKind.WORK
        )
    with pytest.raises(PermissionDenied):
        services.training_create(
            actor=actor, agency=town, held_on=date(2026, 3, 1), title="x", attendees=3
        )
    with pytest.raises(PermissionDenied):
        services.complaint_create(
            actor=actor,
            agency=town,
            received_on=date(2026, 3, 1),
            channel=ComplaintChannel.PHONE,
            summary="x",
        )
    with pytest.raises(PermissionDenied):
        services.account_create(actor=actor, agency=town, platform=Platform.WEIBO, name="x")
    assert not AuditEvent.objects.filter(agency=town).exclude(verb="membership.grant").exists()


def test_fund_amount_is_decimal_and_not_negative(town, people):
    fund = services.fund_create(
        actor=people.admin, agency=town, year=2026, amount_wan=Decimal("0.35"), purpose="专区"
    )
    fund.refresh_from_db()
    assert fund.amount_wan == Decimal("0.3500")
    with pytest.raises(ValidationError):
        services.fund_create(
            actor=people.admin, agency=town, year=2026, amount_wan=Decimal("-1"), purpose="x"
        )
    with pytest.raises(ValidationError):
        services.fund_create(
            actor=people.admin, agency=town, year=1999, amount_wan=Decimal("1"), purpose="x"
        )


def test_meeting_kind_must_be_one_of_the_two(town, people):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_create(
            actor=people.officer, agency=town, held_on=date(2026, 3, 1), title="x", kind="party"
        )
    assert "kind" in excinfo.value.message_dict


def test_training_update(town, people):
    training = services.training_create(
        actor=people.officer, agency=town, held_on=date(2026, 4, 1), title="培训", attendees=20
    )
    services.training_update(actor=people.officer, training=training, data={"attendees": 22})
    training.refresh_from_db()
    assert training.attendees == 22
    assert _events("training.update")[0].after == {"attendees": 22}


def _complaint(town, actor, **fields):
    fields.setdefault("received_on", date(2026, 5, 6))
    fields.setdefault("channel", ComplaintChannel.ONLINE)
    fields.setdefault("summary", "网站栏目长期未更新")
    return services.complaint_create(actor=actor, agency=town, **fields)


def test_complaint_workflow_follows_the_transitions_table(town, people):
    complaint = _complaint(town, people.officer)
    assert complaint.status == ComplaintStatus.RECEIVED
    complaint = services.complaint_transition(
        actor=people.officer, complaint=complaint, to=ComplaintStatus.HANDLING, handling="已转办"
    )
    assert complaint.status == ComplaintStatus.HANDLING and complaint.closed_on is None
    with pytest.raises(ValidationError):  # closing needs a date
        services.complaint_transition(
            actor=people.officer, complaint=complaint, to=ComplaintStatus.CLOSED
        )
    complaint = services.complaint_transition(
        actor=people.officer,
        complaint=complaint,
        to=ComplaintStatus.CLOSED,
        handling="已补发并回复",
        on=date(2026, 5, 12),
    )
    assert complaint.closed_on == date(2026, 5, 12)
    with pytest.raises(services.WorkflowError):  # closed → closed is not a move
        services.complaint_transition(
            actor=people.officer,
            complaint=complaint,
            to=ComplaintStatus.CLOSED,
            on=date(2026, 5, 13),
        )
    complaint = services.complaint_transition(
        actor=people.officer, complaint=complaint, to=ComplaintStatus.HANDLING
    )
    assert complaint.closed_on is None  # reopened
    assert [
        e.verb
        for e in AuditEvent.objects.filter(
            object_type="operations.complaint", object_id=str(complaint.pk)
        ).order_by("id")
    ] == [
        "complaint.create",
        "complaint.handling",
        "complaint.closed",
        "complaint.handling",
    ]


def test_complaint_close_needs_handling_and_a_date_after_receipt(town, people):
    complaint = _complaint(town, people.officer)
    with pytest.raises(ValidationError) as excinfo:
        services.complaint_transition(
            actor=people.officer,
            complaint=complaint,
            to=ComplaintStatus.CLOSED,
            on=date(2026, 6, 1),
        )
    assert "handling" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.complaint_transition(
            actor=people.officer,
            complaint=complaint,
            to=ComplaintStatus.CLOSED,
            handling="已处理",
            on=date(2026, 5, 1),
        )
    assert "closed_on" in excinfo.value.message_dict


def test_complaint_audit_masks_personal_data(town, people):
    _complaint(town, people.officer, complainant="王小明", contact="13812345678")
    [event] = _events("complaint.create")
    assert "王小明" not in str(event.after) and "13812345678" not in str(event.after)
    assert event.after["complainant"] == "王*明"


def test_an_editor_cannot_handle_complaints(town, people):
    with pytest.raises(PermissionDenied):
        _complaint(town, people.editor)
    complaint = _complaint(town, people.officer)
    with pytest.raises(PermissionDenied):
        services.complaint_transition(
            actor=people.admin, complaint=complaint, to=ComplaintStatus.HANDLING
        )


def test_account_closing_needs_a_date(town, people):
    account = services.account_create(
        actor=people.officer,
        agency=town,
        platform=Platform.WECHAT,
        name="六横发布",
        opened_on=date(2014, 3, 18),
    )
    with pytest.raises(ValidationError):
        services.account_update(
            actor=people.officer, account=account, data={"status": AccountStatus.CLOSED}
        )
    with pytest.raises(ValidationError):
        services.account_update(
            actor=people.officer,
            account=account,
            data={"status": AccountStatus.CLOSED, "closed_on": date(2010, 1, 1)},
        )
    account = services.account_update(
        actor=people.officer,
        account=account,
        data={"status": AccountStatus.CLOSED, "closed_on": date(2024, 6, 30)},
    )
    assert account.status == AccountStatus.CLOSED


def test_account_names_are_unique_per_platform(town, people):
    services.account_create(
        actor=people.officer, agency=town, platform=Platform.WEIBO, name="六横发布"
    )
    services.account_create(
        actor=people.officer, agency=town, platform=Platform.WECHAT, name="六横发布"
    )
    with pytest.raises(ValidationError):
        services.account_create(
            actor=people.officer, agency=town, platform=Platform.WEIBO, name="六横发布"
        )


def test_account_channel_must_be_the_agencys(town, other_town, people):
    from gongkai.catalogue.services import channel_create

    foreign = channel_create(actor=None, agency=other_town, kind="weibo", name="桃花发布")
    with pytest.raises(ValidationError) as excinfo:
        services.account_create(
            actor=people.officer, agency=town, platform=Platform.WEIBO, name="x", channel=foreign
        )
    assert "channel" in excinfo.value.message_dict


@pytest.fixture
def account(town, people):
    return services.account_create(
        actor=people.officer,
        agency=town,
        platform=Platform.WEIBO,
        name="六横发布",
        opened_on=date(2013, 5, 20),
    )


def test_post_counts_refuse_overlaps_and_cross_year_periods(account, people):
    services.post_count_record(
        actor=people.officer,
        account=account,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        count=30,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.post_count_record(
            actor=people.officer,
            account=account,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 4, 30),
            count=5,
        )
    assert "period_start" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.post_count_record(
            actor=people.officer,
            account=account,
            period_start=date(2025, 12, 1),
            period_end=date(2026, 1, 31),
            count=5,
        )
    assert "period_end" in excinfo.value.message_dict
    with pytest.raises(ValidationError):  # before the account was opened
        services.post_count_record(
            actor=people.officer,
            account=account,
            period_start=date(2012, 1, 1),
            period_end=date(2012, 12, 31),
            count=5,
        )


def test_post_count_update_may_keep_its_own_period(account, people):
    record = services.post_count_record(
        actor=people.officer,
        account=account,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        count=30,
    )
    services.post_count_update(actor=people.officer, post_count=record, data={"count": 31})
    record.refresh_from_db()
    assert record.count == 31
