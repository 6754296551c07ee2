"""Staff pages of the roll-up (a subtree's reports of a year, their status against the deadline,
their lint counts and the summed figures) and of the year-over-year comparison of one agency.
Kept apart from views.py; both read only (no service is called)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from gongkai.core import selectors as core_selectors
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key

from .deadlines import report_deadline, report_statuses
from .formats import KEYS, for_year
from .rollup import add_up, figures, lint_counts, subtree, year_over_year


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        raise Http404 from None
    if not 2008 <= year <= 2100:
        raise Http404
    return year


@staff_required
@require_safe
def rollup(request, agency: str, year: int):
    """Every agency of the subtree the user may see: status (due date, late), where its figures
    come from, its lint errors and warnings; then the figures summed over the subtree."""
    agency = agency_from_key(request, agency)
    fmt_key = request.GET.get("format") or for_year(year).key
    if fmt_key not in KEYS:
        raise Http404
    agencies = subtree(agency, core_selectors.agencies_visible_to(request.user))
    current = figures(agencies, year, fmt_key)
    previous = figures(agencies, year - 1, compute=False)
    lints = lint_counts(current, previous)
    statuses = report_statuses(agencies, year)
    rows = [
        {
            "agency": item,
            "status": statuses[item.pk],
            "figures": current[item.pk],
            "lint": lints.get(item.pk),
        }
        for item in agencies
    ]
    total = add_up(fmt_key, current.values())
    return render(
        request,
        "reports/rollup.html",
        {
            "agency": agency,
            "year": year,
            "format": fmt_key,
            "formats": KEYS,
            "rows": rows,
            "total": list(total.items()),
            "late": sum(1 for s in statuses.values() if s.is_late),
            "due": report_deadline(agency, year),
            "today": timezone.localdate(),
        },
    )


@staff_required
@require_safe
def yoy(request, agency: str):
    """The agency's figures of a year (?year=, default last year) beside the year before."""
    agency = agency_from_key(request, agency)
    year = _year(request, timezone.localdate().year - 1)
    current, previous, changes = year_over_year(agency, year)
    return render(
        request,
        "reports/rollup_yoy.html",
        {
            "agency": agency,
            "year": year,
            "previous_year": year - 1,
            "current": current,
            "previous": previous,
            "changes": changes,
        },
    )
