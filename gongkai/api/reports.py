"""Annual reports as JSON (the import/export schema: format, year, agency, cells, narrative,
findings). Staff (token): any year and format computed from the records of an agency they may
read. Public: the latest published version of a report."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from gongkai.core.converters import YEAR_MAX, YEAR_MIN
from gongkai.core.models import Agency
from gongkai.reports import permissions, selectors
from gongkai.reports.compute import compute_report
from gongkai.reports.formats import KEYS

from .auth import token_auth
from .errors import ERROR_RESPONSES, ErrorOut

router = Router(tags=["annual reports"])
# a year past 9999 or before 1 has no date to compute with (it answered 500)
Year = Path(..., ge=YEAR_MIN, le=YEAR_MAX)


class ReportOut(Schema):
    format: str
    year: int
    agency: dict
    cells: dict
    narrative: dict
    findings: list
    provisional_notes: list[str] = []
    version: int | None = None
    correction_note: str = ""


def _agency(slug: str) -> Agency:
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        raise Http404(_("No such agency."))
    return agency


@router.get(
    "/public/{agency}/{year}",
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="The published version of an agency's report",
)
def published_report(request, agency: str, year: int = Year):
    found = _agency(agency)
    version = selectors.published_version(found, year)
    if version is None:
        raise Http404(_("No published report."))
    return {
        "format": version.report.format,
        "year": year,
        "agency": {"slug": found.slug, "name": found.name},
        "cells": version.cells,
        "narrative": version.narrative,
        "findings": [],
        "version": version.number,
        "correction_note": version.correction_note,
    }


@router.get(
    "/{agency}/{year}/{fmt}",
    auth=token_auth,
    response={200: ReportOut, 401: ErrorOut, **ERROR_RESPONSES},
    summary="An agency's report computed from the records (staff)",
)
def computed_report(request, agency: str, fmt: str, year: int = Year):
    if fmt not in KEYS:
        raise Http404(_("No such report format."))
    found = _agency(agency)
    if not permissions.can_view_report(request.auth, found):
        raise Http404(_("No such agency."))  # another agency's records: as if absent
    report = compute_report(found, year, fmt)
    return {**report.as_json(), "provisional_notes": report.provisional_notes}
