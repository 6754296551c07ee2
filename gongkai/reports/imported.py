"""Imported reports stored as an agency's record of a past year (issue 7).

A report published before the system — read from its file by gongkai/reports/importers into
``{"format", "year", "agency", "cells", "narrative", "findings"}`` — is stored as an
`ImportedReport`; the roll-up and the cross-year lint rule use it as the agency's figures of
that year when nothing was published here. No CLI flag stores one (the import command only
reads and prints); the service is the one way in.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require

from . import permissions
from .formats import KEYS, get
from .models import ImportedReport


def _stored_value(value):
    """A cell value as JSON: int, str(Decimal) for fractions (万元), None for a blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    if number == number.to_integral_value():
        return int(number)
    return str(number.normalize())


def _clean(imported: dict) -> tuple[int, str, dict, dict]:
    errors: dict[str, list[str]] = {}
    fmt_key = imported.get("format")
    if fmt_key not in KEYS:
        errors["format"] = [_("Unknown report format: %(format)s.") % {"format": fmt_key}]
    year = imported.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        errors["year"] = [_("The report gives no year.")]
    elif year >= timezone.localdate().year:
        errors["year"] = [_("Only a report of a past year can be stored.")]
    if errors:
        raise ValidationError(errors)
    known = set(get(fmt_key).cell_keys())
    cells: dict = {}
    unknown, bad = [], []
    for key, value in (imported.get("cells") or {}).items():
        if key not in known:
            unknown.append(key)
            continue
        try:
            cells[key] = _stored_value(value)
        except ValueError:
            bad.append(key)
    if unknown:
        errors["cells"] = [
            _("Cells the format does not have: %(cells)s.") % {"cells": "、".join(unknown[:10])}
        ]
    if bad:
        errors.setdefault("cells", []).append(
            _("Cells that are not numbers: %(cells)s.") % {"cells": "、".join(bad[:10])}
        )
    if not any(value is not None for value in cells.values()):
        errors.setdefault("cells", []).append(_("The report gives no figure."))
    if errors:
        raise ValidationError(errors)
    narrative = imported.get("narrative") or {}
    if not isinstance(narrative, dict):
        raise ValidationError({"narrative": [_("The narrative must be a mapping of sections.")]})
    return year, fmt_key, cells, {str(k): str(v) for k, v in narrative.items()}


def report_import_store(
    *, actor: User, agency: Agency, imported: dict, source_name: str = ""
) -> ImportedReport:
    """Store an imported report as the agency's record of its year; importing the same year
    and format again replaces it (audited with what changed). All or nothing. The agency's
    disclosure office stores it, or an administrator of an agency above it."""
    require(permissions.can_store_imported_report(actor, agency))
    year, fmt_key, cells, narrative = _clean(imported)
    with transaction.atomic():
        row = (
            ImportedReport.objects.select_for_update()
            .filter(agency=agency, year=year, format=fmt_key)
            .first()
        )
        before = None
        if row is None:
            row = ImportedReport(agency=agency, year=year, format=fmt_key)
        else:
            before = {"source_name": row.source_name, "cells": row.cells}
        row.cells, row.narrative = cells, narrative
        row.source_name = source_name[:255]
        row.imported_by, row.imported_at = actor, timezone.now()
        row.save()
        audit_record(
            actor=actor,
            verb="report.import_store" if before is None else "report.import_replace",
            obj=row,
            agency=agency,
            before=before,
            after={"year": year, "format": fmt_key, "source_name": row.source_name, "cells": cells},
        )
    return row


# --- reads ---------------------------------------------------------------------------------


def imported_report(agency: Agency, year: int, fmt_key: str | None = None) -> ImportedReport | None:
    """The stored imported report of the agency's year (in `fmt_key` when given)."""
    rows = ImportedReport.objects.filter(agency=agency, year=year)
    if fmt_key:
        rows = rows.filter(format=fmt_key)
    return rows.order_by("format").first()


def imported_baseline(agency: Agency, year: int) -> dict | None:
    """The stored imported report in the import schema (the lint's cross-year baseline)."""
    row = imported_report(agency, year)
    if row is None:
        return None
    return {
        "format": row.format,
        "year": row.year,
        "agency": agency.name,
        "cells": dict(row.cells),
        "narrative": dict(row.narrative),
    }
