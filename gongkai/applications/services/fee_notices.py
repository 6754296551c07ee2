"""Fees (国办函〔2020〕109号): the quote, the notice, the payment, the lapse."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.models import User
from gongkai.core.selectors import current_work_calendar

from .. import clock, fees, letters
from ..clock import EventKind
from ..models import Application, Fee
from ..outcomes import Outcome
from ..taxonomy import FeeSchedule, LetterKind
from ..workflow import Action
from .common import (
    WorkflowError,
    _apply,
    _check,
    _event,
    _locked,
    _not_future,
    today,
)
from .conclusion import _conclude

# --- fees (国办函〔2020〕109号) -------------------------------------------------------------


def applications_in_month(application: Application) -> int:
    """The applicant's applications to this agency in the calendar month of this one, up to and
    including it (第四条: 同一申请人一个自然月内累计申请)."""
    day = application.received_on or timezone.localdate(application.submitted_at)
    same = Application.objects.filter(
        agency=application.agency,
        id_type=application.id_type,
        id_number=application.id_number,
        submitted_at__year=day.year,
        submitted_at__month=day.month,
    )
    return same.filter(submitted_at__lte=application.submitted_at).count()


def fee_quote(application: Application, *, schedule: str, pages: int = 0) -> tuple[int, dict]:
    """The fee for this application: per item, the marginal charge of its place in the month's
    count; per page, the pages provided."""
    if schedule == FeeSchedule.PER_ITEM:
        position = applications_in_month(application)
        whole, before = fees.per_item(position), fees.per_item(position - 1)
        amount = whole.amount - before.amount
        return amount, {**whole.as_dict(), "charged_unit": position, "amount": amount}
    if schedule == FeeSchedule.PER_PAGE:
        if pages < 1:
            raise ValidationError(_("Enter the number of pages."))
        quote = fees.per_page(pages)
        return quote.amount, quote.as_dict()
    raise ValidationError(_("Choose one fee schedule: per application or per page."))


@transaction.atomic
def fee_notify(
    *, actor: User, application: Application, schedule: str, pages: int = 0, on: date | None = None
) -> Fee:
    application = _locked(application)
    _check(actor, application, Action.NOTIFY_FEE)
    if Fee.objects.filter(application=application).exists():
        raise WorkflowError(
            _(
                "A fee notice was already sent for this application; fees are charged once, on one schedule."
            )
        )
    amount, breakdown = fee_quote(application, schedule=schedule, pages=pages)
    if amount <= 0:
        raise ValidationError(_("Nothing is due under this schedule, so no fee notice is sent."))
    on = on or today()
    _not_future(on)
    pay_by = current_work_calendar().latest(on, clock.FEE_PAYMENT_WORKDAYS).on
    fee = Fee.objects.create(
        application=application,
        schedule=schedule,
        count=breakdown["count"],
        amount=amount,
        breakdown=breakdown,
        notified_on=on,
        pay_by=pay_by,
    )
    _event(
        application,
        EventKind.FEE_NOTIFIED,
        on=on,
        actor=actor,
        text=_("Fee notice: %(amount)d yuan, to be paid by %(date)s.")
        % {"amount": amount, "date": pay_by.isoformat()},
    )
    letters.issue_letter(
        application=application,
        kind=LetterKind.FEE_NOTICE,
        on=on,
        actor=actor,
        values={
            "收费标准": fee.get_schedule_display(),
            "收费明细": describe_fee(breakdown),
            "收费金额": str(amount),
            "缴费期限": letters.chinese_date(pay_by),
        },
    )
    _apply(application, Action.NOTIFY_FEE, actor=actor, amount=amount, schedule=schedule)
    return fee


def describe_fee(breakdown: dict) -> str:
    unit = "件" if breakdown["schedule"] == "per_item" else "页"
    parts = []
    for band in breakdown["bands"]:
        last = band["last"] if band["last"] is not None else "以上"
        parts.append(
            f"第{band['first']}—{last}{unit}：{band['units']}{unit}×{band['rate']}元={band['amount']}元"
        )
    text = "；".join(parts)
    if "charged_unit" in breakdown:
        text += f"。本申请为本自然月第{breakdown['charged_unit']}件，应缴{breakdown['amount']}元"
    return text


@transaction.atomic
def fee_record_payment(
    *, actor: User, application: Application, paid_on: date | None = None, receipt_number: str = ""
) -> Fee:
    application = _locked(application)
    _check(actor, application, Action.RECORD_PAYMENT)
    fee = Fee.objects.select_for_update().get(application=application)
    paid_on = paid_on or today()
    _not_future(paid_on)
    if paid_on < fee.notified_on:
        raise ValidationError(_("Payment cannot precede the fee notice."))
    fee.paid_on = paid_on
    fee.receipt_number = receipt_number.strip()[:60]
    fee.save()
    _event(application, EventKind.FEE_PAID, on=paid_on, actor=actor, text=_("Fee paid."))
    _apply(application, Action.RECORD_PAYMENT, actor=actor, amount=fee.amount)
    return fee


@transaction.atomic
def fee_lapse(
    *, actor: User | None, application: Application, on: date | None = None
) -> Application:
    """Unpaid after 20 working days: 视为放弃申请 (RULES A.4), 表三（六）2."""
    application = _locked(application)
    _check(actor, application, Action.LAPSE_FEE)
    fee = Fee.objects.get(application=application)
    on = on or today()
    if on <= fee.pay_by:
        raise ValidationError(
            _("The fee can be paid until %(date)s.") % {"date": fee.pay_by.isoformat()}
        )
    return _conclude(
        application,
        Action.LAPSE_FEE,
        actor=actor,
        kind=EventKind.FEE_LAPSED,
        outcome=Outcome.NO_PAYMENT,
        on=on,
    )
