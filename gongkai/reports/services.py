"""Writes of the annual reports: staff-entered figures and the report's review and publication.
Every write checks permission and is audited in the same transaction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require

from . import permissions, workflow
from .compute import compute_report
from .formats import get
from .models import Report, ReportEntry, ReportStatus, ReportVersion
from .narrative import draft_narrative, placeholders, render_narrative, unknown_tokens
from .publishing import publish_to_catalogue


def _decimal(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"value": _("Enter a number.")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({"value": _("Enter a number that is not negative.")})
    return number


def report_entry_set(
    *,
    actor: User,
    agency: Agency,
    year: int,
    fmt: str,
    cell_key: str,
    value,
    note: str = "",
) -> ReportEntry:
    """Enter (or change, or blank with value None) the figure of a cell staff enter."""
    require(permissions.can_enter_report_figures(actor, agency))
    try:
        format_ = get(fmt)
    except KeyError:
        raise ValidationError({"fmt": _("Unknown report format.")}) from None
    index = format_.cell_index()
    if cell_key not in index:
        raise ValidationError({"cell_key": _("This format has no such cell.")})
    row, _column = index[cell_key]
    if not row.entered:
        raise ValidationError(
            {"cell_key": _("This figure is computed from the records and cannot be entered.")}
        )
    number = _decimal(value)
    if number is not None and row.unit != "万元" and number != number.to_integral_value():
        raise ValidationError({"value": _("Enter a whole number.")})
    with transaction.atomic():
        report = Report.objects.filter(agency=agency, year=year).first()
        if report and report.status != ReportStatus.DRAFT:
            raise ValidationError(_("The report is not a draft: its figures cannot change."))
        entry = (
            ReportEntry.objects.select_for_update()
            .filter(agency=agency, year=year, format=format_.key, cell_key=cell_key)
            .first()
        )
        before = {
            "value": str(entry.value) if entry and entry.value is not None else None,
            "note": entry.note if entry else "",
        }
        if entry is None:
            entry = ReportEntry(agency=agency, year=year, format=format_.key, cell_key=cell_key)
        entry.value, entry.note = number, note.strip()
        entry.entered_by, entry.entered_at = actor, timezone.now()
        entry.save()
        audit_record(
            actor=actor,
            verb="report.entry_set",
            obj=entry,
            agency=agency,
            before=before,
            after={"value": str(number) if number is not None else None, "note": entry.note},
        )
    return entry


# --- the report's lifecycle ----------------------------------------------------------------

# the lifecycle's steps and their guards: workflow.MACHINE


def report_start(*, actor: User, agency: Agency, year: int, fmt: str) -> Report:
    """The agency's report of the year (created as a draft the first time)."""
    require(permissions.can_enter_report_figures(actor, agency))
    get(fmt)
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            agency=agency, year=year, defaults={"format": fmt}
        )
        if created:
            audit_record(
                actor=actor,
                verb="report.create",
                obj=report,
                agency=agency,
                after={"year": year, "format": fmt},
            )
    return report


def report_transition(
    *, actor: User, report: Report, action: str, correction_note: str = ""
) -> Report:
    """Move the report along workflow.MACHINE. Publishing freezes the computed cells as a new
    version; reopening a published report needs a 更正说明 for the next version."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if action not in workflow.MACHINE.names():
            raise workflow.refusal()
        workflow.MACHINE.check(report, action)  # the status first, then who asks
        workflow.MACHINE.require(actor, report, action)
        unwritten = placeholders(report.narrative) if action in ("submit", "publish") else []
        if unwritten:
            section, placeholder = unwritten[0]
            raise ValidationError(
                _("“%(section)s” still has a part to write: %(placeholder)s")
                % {"section": section, "placeholder": placeholder}
            )
        if action == "submit":
            report.submitted_by = actor
        if action == "reopen":
            if not correction_note.strip():
                raise ValidationError(
                    {"correction_note": _("Explain what the correction changes.")}
                )
            report.correction_note = correction_note.strip()
        if action == "publish":
            computed = compute_report(report.agency, report.year, report.format)
            report.version += 1
            version = ReportVersion.objects.create(
                report=report,
                number=report.version,
                cells={
                    k: (str(v) if v is not None and not isinstance(v, int) else v)
                    for k, v in computed.cells.items()
                },
                # the text as published: its {{cell:…}} tokens frozen with these cells
                narrative=render_narrative(report.narrative, computed.cells),
                correction_note=report.correction_note if report.version > 1 else "",
                published_by=actor,
            )
            publish_to_catalogue(actor=actor, report=report, version=version)
            report.correction_note = ""
        workflow.MACHINE.apply(
            report, action, actor=actor, after={"version": report.version}, check_permission=False
        )
    return report


# --- the narrative -------------------------------------------------------------------------

NARRATIVE_MAX_LENGTH = 20_000


def _narrative_sections(report: Report) -> set[str]:
    """The section titles a report's narrative may hold ("" is the preamble)."""
    return {"", *(section.title for section in get(report.format).sections)}


def _save_narrative(*, actor: User, report: Report, narrative: dict, verb: str) -> Report:
    before = {k: v for k, v in report.narrative.items() if k in narrative}
    after = {k: v for k, v in narrative.items() if v != report.narrative.get(k, "")}
    merged = {**report.narrative, **narrative}
    report.narrative = {k: v for k, v in merged.items() if v}
    report.save(update_fields=["narrative", "updated_at"])
    audit_record(
        actor=actor,
        verb=verb,
        obj=report,
        agency=report.agency,
        before={k: v for k, v in before.items() if k in after},
        after=after,
    )
    return report


def _locked_draft(actor: User, report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("The report is not a draft: its text cannot change."))
    require(permissions.can_edit_report(actor, report))
    return report


def report_narrative_set(*, actor: User, report: Report, narrative: dict) -> Report:
    """Set the text of the sections given (section title → text; an empty text clears the
    section; sections not given are kept). Figures quoted from the tables may be written as
    {{cell:<cell key>}} tokens (gongkai/reports/narrative.py); a token whose key is not a cell of
    the report's format is refused."""
    allowed = _narrative_sections(report)
    cleaned: dict[str, str] = {}
    for title, text in narrative.items():
        if title not in allowed:
            raise ValidationError(
                {"narrative": _("This format has no section %(title)s.") % {"title": title}}
            )
        if not isinstance(text, str):
            raise ValidationError({"narrative": _("Enter text.")})
        text = text.replace("\r\n", "\n").strip()
        if len(text) > NARRATIVE_MAX_LENGTH:
            raise ValidationError({"narrative": _("The text of a section is too long.")})
        cleaned[title] = text
    # a figure bound to a cell the format does not have would print as 【?】: refused, with
    # the text left to the caller (the staff page shows it again)
    unknown = unknown_tokens(cleaned, dict.fromkeys(get(report.format).cell_keys()))
    if unknown:
        section, key = unknown[0]
        raise ValidationError(
            {
                "narrative": _(
                    "“%(section)s” quotes a figure of a cell this format does not have: %(key)s"
                )
                % {"section": section or _("(preamble)"), "key": key}
            }
        )
    with transaction.atomic():
        report = _locked_draft(actor, report)
        return _save_narrative(
            actor=actor, report=report, narrative=cleaned, verb="report.narrative_set"
        )


def report_narrative_draft(*, actor: User, report: Report) -> Report:
    """Fill the sections that are still empty with a draft written from the records; a section
    with text is never overwritten."""
    with transaction.atomic():
        report = _locked_draft(actor, report)
        computed = compute_report(report.agency, report.year, report.format)
        draft = draft_narrative(report.agency, report.year, report.format, computed.cells)
        empty = {
            title: text
            for title, text in draft.items()
            if not (report.narrative.get(title) or "").strip()
        }
        return _save_narrative(
            actor=actor, report=report, narrative=empty, verb="report.narrative_draft"
        )
