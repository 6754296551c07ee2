"""Reads of the staff pages that are audited: the identity revealed, the export, a download."""

from __future__ import annotations

from django.db import transaction

from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require

from .. import permissions
from ..models import Application
from .common import _require_handler

# --- staff pages: identity reveal and export (added with the staff pages) -------------------


@transaction.atomic
def application_reveal_identity(*, actor: User, application: Application) -> str:
    """The applicant's full document number, for the office handling the application (pages
    show it masked). Every look is audited; the number itself is not written to the trail."""
    application = Application.objects.select_related("agency").get(pk=application.pk)
    _require_handler(actor, application)
    audit_record(
        actor=actor,
        verb="application.reveal_identity",
        obj=application,
        agency=application.agency,
        after={"id_type": application.id_type},
    )
    return application.id_number


@transaction.atomic
def applications_export(*, actor: User, agency: Agency, year: int, fmt: str = "csv") -> list:
    """The agency's applications registered in `year` as export rows (document numbers
    masked, see exports.py), recorded as an `application.export` audit event."""
    from .. import exports

    require(permissions.can_export_applications(actor, agency))
    rows = exports.build_rows(
        Application.objects.filter(agency=agency, year=year).order_by("number", "id")
    )
    audit_record(
        actor=actor,
        verb="application.export",
        agency=agency,
        object_type="applications.application",
        object_repr=f"{agency.short_name} {year}",
        after={"year": year, "rows": len(rows), "format": fmt},
    )
    return rows


@transaction.atomic
def application_download(*, actor: User, application: Application, what: str, name: str) -> None:
    """A staff member took a copy of one of the application's files or letters (`what`: "file"
    or "letter"): personal data leaving the system, recorded like a look at the ID number."""
    require(permissions.can_view_applications(actor, application.agency))
    audit_record(
        actor=actor,
        verb="application.download",
        obj=application,
        agency=application.agency,
        after={what: name},
    )
