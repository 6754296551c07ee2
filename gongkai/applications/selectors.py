"""Reads of 依申请公开. Staff reads start from `applications_visible_to`; the public reads one
application by its number and query code, and sees only what is marked public."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import reduce
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Replace

from gongkai.core.models import Agency
from gongkai.core.selectors import agencies_reached_by

from . import permissions
from .models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationQuerySet,
    Letter,
    LetterTemplate,
    Status,
)
from .outcomes import RULES
from .taxonomy import ApplicantType


def agencies_with_applications_visible_to(user) -> QuerySet[Agency]:
    """The set form of permissions.can_view_applications, as one query."""
    return agencies_reached_by(user, permissions.READER_ROLES)


def applications_visible_to(user) -> ApplicationQuerySet:
    return Application.objects.filter(
        agency__in=agencies_with_applications_visible_to(user)
    ).select_related("agency", "handler")


_DUE = Coalesce("due_on", "due_provisional")
# The queue's whitelisted orderings (forms.SORT_KEYS), each ending on a unique key so that
# pages never overlap. Numbers are issued in order of arrival, so they sort by it.
QUEUE_SORTS = {
    "number": ("submitted_at", "id"),
    "submitted": ("submitted_at", "id"),
    "applicant": ("applicant_name", "id"),
    "status": ("status", "id"),
    "handler": ("handler__last_name", "handler__first_name", "handler__username", "id"),
    "due": (_DUE, "id"),
}
_PHONE_CHARS = re.compile(r"[\s\-+()（）]")


def _ordering(key: str) -> list:
    descending = key.startswith("-")
    fields = QUEUE_SORTS[key.lstrip("-")]
    order = []
    for name in fields:
        expression = F(name) if isinstance(name, str) else name
        # Explicit NULL placement: PostgreSQL sorts NULLs last in ascending order, SQLite first.
        order.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return order


def _phone_digits(q: str) -> str:
    """The digits of a search that looks like (part of) a phone number, else ""."""
    digits = _PHONE_CHARS.sub("", q)
    return digits if len(digits) >= 4 and digits.isdigit() else ""


def queue(
    user,
    agency: Agency,
    *,
    status: str = "",
    flag: str = "",
    q: str = "",
    handler: str = "",
    sort: str = "",
) -> QuerySet:
    """The agency's working list: open applications first, soonest due first; or sorted by
    one of QUEUE_SORTS. `q` finds the number, the applicant's name, the contact person, the
    words of the request and, for the office that handles applications (who see phones in
    full), the phone number whatever spaces or dashes either side was written with."""
    rows = applications_visible_to(user).filter(agency=agency)
    if status == "open":
        rows = rows.open()
    elif status:
        rows = rows.filter(status=status)
    if flag:
        rows = rows.filter(flag=flag)
    if handler == "none":
        rows = rows.filter(handler__isnull=True)
    elif handler.isdigit():
        rows = rows.filter(handler_id=int(handler))
    if q:
        match = (
            Q(number__icontains=q)
            | Q(applicant_name__icontains=q)
            | Q(contact_person__icontains=q)
            | Q(information__icontains=q)
        )
        digits = _phone_digits(q)
        if digits and permissions.can_handle_application(user, agency):
            rows = rows.annotate(
                phone_digits=Replace(
                    Replace(Replace("phone", Value(" "), Value("")), Value("-"), Value("")),
                    Value("+"),
                    Value(""),
                )
            )
            match |= Q(phone_digits__contains=digits)
        rows = rows.filter(match)
    if sort and sort.lstrip("-") in QUEUE_SORTS:
        return rows.order_by(*_ordering(sort))
    # Open applications (not concluded) come first, soonest due first; then the concluded ones,
    # the most recent first.
    return rows.order_by(
        F("concluded_on").desc(nulls_first=True),
        _DUE.asc(nulls_last=True),
        "-submitted_at",
        "-id",
    )


def handlers_for(agency: Agency):
    from gongkai.core.models import User

    return User.objects.filter(
        memberships__agency=agency, memberships__role__in=permissions.HANDLER_ROLES, is_active=True
    ).distinct()


def find_for_applicant(agency: Agency, number: str) -> Application | None:
    number = (number or "").strip().upper()
    if not number:
        return None
    return (
        Application.objects.filter(agency=agency, number__iexact=number)
        .select_related("agency")
        .first()
    )


def public_timeline(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.filter(public=True).order_by("on", "id")


def letters_for_applicant(application: Application) -> QuerySet[Letter]:
    return application.letters.filter(for_applicant=True).order_by("issued_on", "id")


# --- counting for the annual report (表三) ------------------------------------------------


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


AgencyScope = Agency | Iterable[int]
_APPLICANT_TYPES = tuple(ApplicantType.values)  # the enum builds this list on every access


def _of(agencies: AgencyScope) -> Q:
    """One agency, or a set of agency ids (the roll-up counts a whole subtree at once)."""
    if isinstance(agencies, Agency):
        return Q(agency=agencies)
    return Q(agency_id__in=list(agencies))


def _received(year: int) -> Q:
    first, last = _year_bounds(year)
    return Q(received_on__range=(first, last))


def _open_at_end_of(year: int) -> Q:
    last = date(year, 12, 31)
    return Q(received_on__lte=last) & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=last))


def _concluded(year: int) -> Q:
    first, last = _year_bounds(year)
    return Q(concluded_on__range=(first, last), received_on__isnull=False)


def received_in(agencies: AgencyScope, year: int) -> QuerySet[Application]:
    """一、本年新收: applications whose receipt date falls in the year."""
    return Application.objects.filter(_of(agencies), _received(year))


def carried_over_from(agencies: AgencyScope, year: int) -> QuerySet[Application]:
    """四、结转下年度继续办理 of `year` (= 二、上年结转 of year + 1): received on or before 12-31
    and not concluded by then."""
    return Application.objects.filter(_of(agencies), _open_at_end_of(year))


def concluded_in(agencies: AgencyScope, year: int) -> QuerySet[Application]:
    return Application.objects.filter(_of(agencies), _concluded(year))


def outcome_rows_by_agency(
    agency_ids: Iterable[int], year: int, *, fmt: str = "2021"
) -> dict[int, dict[str, dict[str, int]]]:
    """三、本年度办理结果 of each agency: {agency id: {row key: {applicant type: count}}} for one
    format ("2021", "2019", "legacy"), over the applications concluded in the year, in one
    query. An agency without any is absent."""
    attr = {"2021": "row_2021", "2019": "row_2019", "legacy": "row_legacy"}[fmt]
    tables: dict[int, dict[str, dict[str, int]]] = {}
    grouped = (
        concluded_in(agency_ids, year)
        .exclude(outcome="")
        .order_by()
        .values_list("agency_id", "outcome", "applicant_type")
        .annotate(n=Count("id"))
    )
    for agency_id, outcome, applicant_type, n in grouped:
        row = getattr(RULES[outcome], attr)
        table = tables.setdefault(agency_id, {})
        table.setdefault(row, dict.fromkeys(_APPLICANT_TYPES, 0))[applicant_type] += n
    return tables


def outcome_rows(agency: Agency, year: int, *, fmt: str = "2021") -> dict[str, dict[str, int]]:
    return outcome_rows_by_agency([agency.pk], year, fmt=fmt).get(agency.pk, {})


def year_summaries(agency_ids: Iterable[int], year: int) -> dict[int, dict[str, dict[str, int]]]:
    """The four column-checked rows of 表三 (一 + 二 = 三（七）+ 四) per applicant type, for each
    agency: {agency id: {"new", "carried_in", "concluded", "carried_out": {type: count}}}, in
    one scan whatever the number of agencies (the selectors above as FILTER clauses)."""
    ids = list(agency_ids)
    parts = {
        "new": _received(year),
        "carried_in": _open_at_end_of(year - 1),
        "concluded": _concluded(year),
        "carried_out": _open_at_end_of(year),
    }
    grouped = (
        Application.objects.filter(_of(ids))
        .filter(reduce(operator.or_, parts.values()))
        .order_by()
        .values("agency_id", "applicant_type")
        .annotate(**{name: Count("id", filter=condition) for name, condition in parts.items()})
    )
    out = {
        agency_id: {name: dict.fromkeys(_APPLICANT_TYPES, 0) for name in parts} for agency_id in ids
    }
    for row in grouped:
        counts: Mapping[str, Any] = row  # the annotated names are dynamic: not in the row's type
        for name in parts:
            out[counts["agency_id"]][name][counts["applicant_type"]] = counts[name]
    return out


def year_summary(agency: Agency, year: int) -> dict[str, dict[str, int]]:
    return year_summaries([agency.pk], year)[agency.pk]


def open_statuses() -> list[str]:
    return [s for s in Status.values if s in OPEN_STATUSES]  # in the order of the choices


# --- letter templates (added with the staff pages) -------------------------------------------


def letter_templates_current(agency: Agency) -> dict[tuple[str, str], LetterTemplate]:
    """{(kind, family): the template letters of `agency` are made from now}: the agency's
    current version, else the platform's stored default; keys without either are absent (the
    built-in text of defaults.py applies)."""
    found: dict[tuple[str, str], LetterTemplate] = {}
    rows = LetterTemplate.objects.filter(Q(agency=agency) | Q(agency__isnull=True), is_current=True)
    for template in rows.select_related("created_by").order_by("version"):
        key = (template.kind, template.family)
        if template.agency_id is not None or key not in found:
            found[key] = template
    return found


def letter_template_history(agency: Agency, kind: str, family: str) -> QuerySet[LetterTemplate]:
    """Every version of the agency's own text of one letter, newest first."""
    return (
        LetterTemplate.objects.filter(agency=agency, kind=kind, family=family)
        .select_related("created_by")
        .order_by("-version")
    )


# --- the public status page (added with the public application pages) ----------------------


def application_for_applicant(agency: Agency, pk: int) -> Application | None:
    """The application a visitor unlocked with its number and query code (the id kept in their
    session), within the agency whose portal they are on."""
    return Application.objects.filter(agency=agency, pk=pk).select_related("agency").first()


def released_files(application: Application):
    """The files of the information provided that the reply released to the applicant."""
    from .models import FileKind

    return application.files.filter(released=True, kind=FileKind.PROVIDED).order_by("id")


# --- operations (gongkai.core.metrics) ------------------------------------------------------


def open_deadline_counts(on: date) -> dict[str, int]:
    """Open applications in one query: how many there are, how many are past their legal due
    date on `on`, and how many the daily tick flagged near due and are not past it yet. The
    near-due count follows the last tick (it knows each agency's working days and setting);
    the overdue one is read from the dates, so it is right even before today's tick."""
    past_due = Q(due_on__lt=on)
    return Application.objects.open().aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=past_due),
        # "near_due": the flag services.applications_tick writes
        near_due=Count("pk", filter=Q(flag="near_due") & ~past_due),
    )
