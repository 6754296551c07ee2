"""Presenters of the applications' staff pages: the deadline and the correction notice as the
pages show them, the labels of clock states and events, and the letter templates' rows with
their placeholders. Pure functions of what the views fetched; no writes, no request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy

from . import defaults, letters, selectors
from .clock import ClockState, EventKind
from .models import (
    ARCHIVED,
    ASSIGNED,
    NOTE,
    REPLY_DRAFTED,
    REPLY_RETURNED,
    REPLY_SIGNED,
    REPLY_SUBMITTED,
    Application,
)
from .outcomes import OutcomeFamily
from .taxonomy import LetterKind
from .workflow import WORKING


@dataclass(frozen=True)
class Deadline:
    """Where an open application stands against its due date, for lists and the detail page.

    state: "running", "near_due", "overdue", "pending" (the due date waits for `year`'s holiday
    schedule: `due` is the provisional date, `days` a safe count of the days left), "none"
    (concluded, or receipt not confirmed yet).
    """

    state: str
    days: int | None = None
    due: date | None = None
    paused: bool = False
    year: int | None = None


def deadline(application: Application, calendar, today: date, near: int) -> Deadline:
    due = application.deadline_on
    if not application.is_open or due is None:
        return Deadline("none", due=application.due_on)
    left = calendar.lenient().workdays_between(today, due)
    paused = application.clock_paused
    if application.due_on is None:
        return Deadline(
            "pending", days=left, due=due, paused=paused, year=application.due_pending_year
        )
    if today > due:
        return Deadline("overdue", days=-left, due=due, paused=paused)
    return Deadline("near_due" if left <= near else "running", days=left, due=due, paused=paused)


EVENT_LABELS = {
    EventKind.SUBMITTED: gettext_lazy("Registered"),
    EventKind.RECEIVED: gettext_lazy("Receipt"),
    EventKind.CORRECTION_REQUESTED: gettext_lazy("Correction requested"),
    EventKind.CORRECTION_RECEIVED: gettext_lazy("Correction received"),
    EventKind.CORRECTION_LAPSED: gettext_lazy("No correction in time"),
    EventKind.CONSULTATION_STARTED: gettext_lazy("Consultation started"),
    EventKind.CONSULTATION_ENDED: gettext_lazy("Consultation closed"),
    EventKind.EXTENDED: gettext_lazy("Extension"),
    EventKind.FEE_NOTIFIED: gettext_lazy("Fee notice"),
    EventKind.FEE_PAID: gettext_lazy("Fee paid"),
    EventKind.FEE_LAPSED: gettext_lazy("Fee not paid in time"),
    EventKind.REPLIED: gettext_lazy("Reply"),
    EventKind.WITHDRAWN: gettext_lazy("Withdrawn"),
    NOTE: gettext_lazy("Internal note"),
    ASSIGNED: gettext_lazy("Assigned"),
    ARCHIVED: gettext_lazy("Archived"),
    REPLY_DRAFTED: gettext_lazy("Reply drafted"),
    REPLY_SUBMITTED: gettext_lazy("Reply submitted for sign-off"),
    REPLY_SIGNED: gettext_lazy("Reply signed off"),
    REPLY_RETURNED: gettext_lazy("Reply returned for changes"),
}


CLOCK_STATES = {
    ClockState.NOT_RECEIVED: gettext_lazy("Receipt not confirmed yet: the clock has not started"),
    ClockState.RUNNING: gettext_lazy("Running"),
    ClockState.AWAITING_CORRECTION: gettext_lazy(
        "Waiting for the correction: the clock starts again when it arrives"
    ),
    ClockState.PAUSED: gettext_lazy("Paused"),
    ClockState.CONCLUDED: gettext_lazy("Concluded"),
}


@dataclass(frozen=True)
class TimelineRow:
    event: object
    label: str


@dataclass(frozen=True)
class CorrectionNotice:
    """第三十条: a correction must be requested within 7 working days of receipt.

    state: "open" (still possible, `days` left), "passed" (the limit is over, not requested),
    "late" (requested after the limit), "in_time" (requested within it).
    """

    state: str
    due: date | None
    days: int | None = None


def correction_notice(application, result, calendar, today) -> CorrectionNotice | None:
    if result is None or result.correction_notice_due is None:
        return None
    due = result.correction_notice_due
    if result.correction_requested_on is not None:
        return CorrectionNotice("late" if result.correction_late else "in_time", due)
    if application.status not in WORKING:
        return None
    if today > due:
        return CorrectionNotice("passed", due)
    return CorrectionNotice("open", due, calendar.lenient().workdays_between(today, due))


# What each placeholder of a letter stands for (letters.application_values and the values each
# service adds for its letter). A template may use any of them; others stay as typed.
PLACEHOLDERS: dict[str, str] = {
    "申请编号": gettext_lazy("the application number"),
    "申请人": gettext_lazy("the applicant's name"),
    "申请日期": gettext_lazy("the date the application was submitted"),
    "收到日期": gettext_lazy("the date of receipt"),
    "所需信息": gettext_lazy("the information requested"),
    "机关名称": gettext_lazy("the agency's full name"),
    "工作机构": gettext_lazy("the disclosure office"),
    "联系机构": gettext_lazy("the office named as the contact"),
    "称谓": gettext_lazy("how the applicant is addressed: 您 or 贵单位"),
    "联系地址": gettext_lazy("the office's address"),
    "联系电话": gettext_lazy("the office's telephone"),
    "邮政编码": gettext_lazy("the office's postcode"),
    "日期": gettext_lazy("the date of the letter"),
    "文号": gettext_lazy("the letter's number"),
    "复议机关": gettext_lazy("the administrative review body"),
    "管辖法院": gettext_lazy("the competent court"),
    "答复结果": gettext_lazy("reply: the outcome"),
    "答复内容": gettext_lazy("reply: the reasons entered with the reply"),
    "法律依据": gettext_lazy("reply: the article the outcome rests on"),
    "补正事项": gettext_lazy("correction: what must be corrected"),
    "补正期限": gettext_lazy("correction: the deadline"),
    "延期理由": gettext_lazy("extension: the reason"),
    "延长天数": gettext_lazy("extension: working days added"),
    "原答复期限": gettext_lazy("extension: the due date before"),
    "延长后答复期限": gettext_lazy("extension: the new due date"),
    "被征求意见方": gettext_lazy("consultation: the party consulted"),
    "意见期限": gettext_lazy("consultation: the opinion's deadline"),
    "收费标准": gettext_lazy("fee: the schedule"),
    "收费明细": gettext_lazy("fee: the breakdown"),
    "收费金额": gettext_lazy("fee: the amount in yuan"),
    "缴费期限": gettext_lazy("fee: the payment deadline"),
}
COMMON_PLACEHOLDERS = [
    "申请编号",
    "申请人",
    "申请日期",
    "收到日期",
    "所需信息",
    "机关名称",
    "工作机构",
    "联系机构",
    "称谓",
    "联系地址",
    "联系电话",
    "邮政编码",
    "日期",
    "文号",
    "复议机关",
    "管辖法院",
]


def placeholders_in(text: str) -> list[str]:
    return list(dict.fromkeys(letters._PLACEHOLDER.findall(text)))


def template_key(kind: str, family: str) -> str:
    return f"{kind}.{family}" if family else kind


def template_label(kind: str, family: str) -> str:
    label = LetterKind(kind).label
    return f"{label}（{OutcomeFamily(family).label}）" if family else label


@dataclass
class TemplateRow:
    key: str
    kind: str
    family: str
    label: str
    title: str
    body: str
    version: int | None  # None: the built-in text, never stored yet
    own: bool  # the agency's own version (else the platform's)
    unknown: list[str] = field(default_factory=list)


def template_rows(agency) -> list[TemplateRow]:
    current = selectors.letter_templates_current(agency)
    rows = []
    for kind, family in defaults.TEMPLATES:
        stored = current.get((kind, family))
        title, body = (stored.title, stored.body) if stored else defaults.template(kind, family)
        rows.append(
            TemplateRow(
                key=template_key(kind, family),
                kind=kind,
                family=family,
                label=template_label(kind, family),
                title=title,
                body=body,
                version=stored.version if stored else None,
                own=bool(stored and stored.agency_id == agency.pk),
                unknown=[name for name in placeholders_in(body) if name not in PLACEHOLDERS],
            )
        )
    return rows


def timeline(events) -> list[TimelineRow]:
    """The application's events with their labels, oldest first as given."""
    return [TimelineRow(e, str(EVENT_LABELS.get(e.kind, e.kind))) for e in events]
