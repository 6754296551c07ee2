"""The disclosure officer's dashboard: this year so far, every number a link to its records.

The cards of other apps are built from their selectors. The engagement and matters apps were
written alongside this one: their cards appear when their selectors (and list pages) exist, and
are left out otherwise, so the dashboard never breaks on a missing piece.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.applications.models import OPEN_STATUSES, Application, Status
from gongkai.applications.permissions import can_view_applications
from gongkai.catalogue import selectors as catalogue_selectors
from gongkai.catalogue.models import Item, ItemStatus
from gongkai.catalogue.taxonomy import ChannelKind
from gongkai.core.models import Agency
from gongkai.reports.deadlines import report_status

from . import selectors


@dataclass(frozen=True)
class Number:
    key: str  # stable, for tests and styling
    label: str
    value: object
    url: str = ""  # "" when there is no list page to link to


@dataclass
class Card:
    key: str
    title: str
    numbers: list[Number] = field(default_factory=list)


@dataclass
class Dashboard:
    agency: Agency
    start: date
    end: date
    cards: list[Card]
    left_out: list[str]  # cards of apps whose selectors are missing


def link(names: str | tuple[str, ...], agency: Agency, **query) -> str:
    """The first URL name of `names` that exists, with the agency and a query string; ""."""
    for name in (names,) if isinstance(names, str) else names:
        try:
            url = reverse(name, kwargs={"agency": agency.slug})
        except NoReverseMatch:
            continue
        params = {k: v for k, v in query.items() if v not in (None, "")}
        return f"{url}?{urlencode(params)}" if params else url
    return ""


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _catalogue_cards(agency: Agency, start: date, end: date) -> list[Card]:
    items_url = ("catalogue:item-list",)
    first = timezone.make_aware(datetime.combine(start, time.min))
    last = timezone.make_aware(datetime.combine(end, time.max))
    per_column = (
        Item.objects.filter(
            agency=agency, status=ItemStatus.PUBLISHED, published_at__range=(first, last)
        )
        .values("column_id", "column__name")
        .annotate(n=Count("id"))
        .order_by("-n", "column__name")
    )
    columns = Card("columns", _("Items published, per column"))
    columns.numbers.append(
        Number(
            "distinct",
            _("On any channel (one item counted once)"),
            catalogue_selectors.distinct_items_published(agency, start, end),
            link(items_url, agency, status=ItemStatus.PUBLISHED, year=start.year),
        )
    )
    for row in per_column:
        columns.numbers.append(
            Number(
                f"column-{row['column_id']}",
                row["column__name"],
                row["n"],
                link(
                    items_url,
                    agency,
                    status=ItemStatus.PUBLISHED,
                    year=start.year,
                    column=row["column_id"],
                ),
            )
        )
    per_channel = catalogue_selectors.publications_per_channel_kind(agency, start, end)
    channels = Card("channels", _("Items published, per channel"))
    for code, label in ChannelKind.choices:
        channels.numbers.append(
            Number(code, label, per_channel.get(code, 0), link("catalogue:channels", agency))
        )
    return [columns, channels]


def _applications_card(user, agency: Agency) -> Card | None:
    if not can_view_applications(user, agency):
        return None
    queue = ("applications:queue",)
    card = Card("applications", _("Applications (依申请公开)"))
    rows = Application.objects.filter(agency=agency)
    by_status = dict(
        rows.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    flags = dict(
        rows.open()
        .exclude(flag="")
        .order_by()
        .values_list("flag")
        .annotate(n=Count("id"))
        .values_list("flag", "n")
    )
    card.numbers.append(
        Number(
            "open",
            _("Open applications"),
            sum(by_status.get(status, 0) for status in OPEN_STATUSES),
            link(queue, agency, status="open"),
        )
    )
    card.numbers.append(
        Number(
            "near_due",
            _("Replies near due"),
            flags.get("near_due", 0),
            link(queue, agency, status="open", flag="near_due"),
        )
    )
    card.numbers.append(
        Number(
            "overdue",
            _("Replies overdue"),
            flags.get("overdue", 0),
            link(queue, agency, status="open", flag="overdue"),
        )
    )
    for code, label in Status.choices:
        card.numbers.append(
            Number(code, str(label), by_status.get(code, 0), link(queue, agency, status=code))
        )
    return card


def _engagement_card(user, agency: Agency) -> Card | None:
    module = _module("gongkai.engagement.selectors")
    agency_incidents = getattr(module, "agency_incidents", None)
    reports_open = getattr(module, "error_reports_open", None)
    taxonomy = _module("gongkai.engagement.taxonomy")
    statuses = getattr(taxonomy, "IncidentStatus", None)
    if agency_incidents is None or reports_open is None or statuses is None:
        return None
    card = Card("engagement", _("Public opinion and website errors"))
    # Incidents not closed, by status: each number is exactly the list its link opens.
    for code, label in statuses.choices:
        if code == "closed":
            continue
        card.numbers.append(
            Number(
                f"incidents_{code}",
                _("Incidents: %(status)s") % {"status": label},
                agency_incidents(user, agency=agency, status=code).count(),
                link("engagement:incident-list", agency, status=code),
            )
        )
    card.numbers.append(
        Number(
            "error_reports_open",
            _("Website error reports open (找错)"),
            reports_open(agency),
            link("engagement:error-list", agency, status="open"),
        )
    )
    return card


def _matters_card(agency: Agency, today: date) -> Card | None:
    module = _module("gongkai.matters.selectors")
    statistics = getattr(module, "matter_statistics", None)
    if statistics is None:
        return None
    figures = statistics(agency, on=today)
    card = Card("matters", _("Service matters by star"))
    for level, label, count in reversed(figures.stars):
        card.numbers.append(
            Number(
                f"star_{level}",
                str(label),
                count,
                link("matters:matter-list", agency, status="published", star=level),
            )
        )
    card.numbers.append(
        Number(
            "three_star_plus",
            "三星级以上",
            figures.three_star_plus,
            link("matters:statistics", agency),
        )
    )
    return card


def _operations_card(agency: Agency, year: int) -> Card:
    card = Card("operations", _("Disclosure office"))
    card.numbers.append(
        Number(
            "complaints_open",
            _("Complaints open"),
            selectors.complaints_open(agency),
            link("operations:complaints-list", agency, status="open"),
        )
    )
    card.numbers.append(
        Number(
            "complaints_received",
            _("Complaints received this year"),
            selectors.complaints(agency, year),
            link("operations:complaints-list", agency, year=year),
        )
    )
    card.numbers.append(
        Number(
            "accounts_active",
            _("New-media accounts in operation"),
            selectors.account_status_counts(agency).get("active", 0),
            link("operations:accounts-list", agency, status="active"),
        )
    )
    card.numbers.append(
        Number(
            "posts",
            _("New-media posts this year"),
            selectors.posts(agency, year),
            link("operations:posts-list", agency, year=year),
        )
    )
    return card


def _annual_report_card(agency: Agency, today: date) -> Card:
    """Last year's annual report: published, or due by its date, or late (RULES A.5). A
    constant three queries (the report, an imported report, the deadline overrides)."""
    year = today.year - 1
    status = report_status(agency, year, today=today)
    due = status.due.isoformat()
    if status.is_late:
        value = _("Late: was due by %(date)s") % {"date": due}
    elif status.status == "published":
        value = str(status.label)
    else:
        value = _("%(status)s, due by %(date)s") % {"status": status.label, "date": due}
    url = reverse("reports:report", kwargs={"agency": agency.slug, "year": year})
    card = Card("annual_report", _("Annual report"))
    card.numbers.append(  # key: the status (not_started, draft, in_review, published, late)
        Number(status.status, _("Report of %(year)s") % {"year": year}, value, url)
    )
    return card


def build(user, agency: Agency, *, today: date) -> Dashboard:
    start = date(today.year, 1, 1)
    cards: list[Card] = _catalogue_cards(agency, start, today)
    left_out: list[str] = []
    applications = _applications_card(user, agency)
    if applications is not None:
        cards.append(applications)
    for title, card in (
        (_("Public opinion and website errors"), _engagement_card(user, agency)),
        (_("Service matters by star"), _matters_card(agency, today)),
    ):
        if card is None:
            left_out.append(title)
        else:
            cards.append(card)
    cards.append(_operations_card(agency, today.year))
    cards.append(_annual_report_card(agency, today))
    return Dashboard(agency=agency, start=start, end=today, cards=cards, left_out=left_out)
