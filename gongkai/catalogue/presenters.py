"""Presenters of the catalogue's staff pages: the shapes the templates read (the publication
clock, privacy findings in context, the audit timeline, attachment and scan rows, import previews).
Pure functions of what the views fetched; no writes, no request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.core.audit_display import verb_label
from gongkai.privacy import FINDING_LABELS

from . import imports, permissions, selectors, shield
from .models import Item, ItemStatus
from .taxonomy import DisclosureMode, Genre, Validity

CONTEXT_CHARS = 24  # characters shown either side of a privacy finding


@dataclass(frozen=True)
class ClockView:
    """The 第二十六条 clock as a page shows it.

    state: "due" (days left), "overdue" (days late, not published), "on_time"/"late" (published),
    "pending" (the limit waits for `year`'s holiday schedule: `due` is provisional, `days` a safe
    count), "none" (not a proactive item, or withdrawn unpublished).
    """

    state: str
    days: int | None = None
    due: date | None = None
    year: int | None = None


def clock_view(item: Item, calendar) -> ClockView:
    if item.disclosure_mode != DisclosureMode.PROACTIVE or (
        item.status == ItemStatus.WITHDRAWN and item.published_at is None
    ):
        return ClockView("none")
    clock = selectors.publication_clock(item, calendar=calendar)
    published = item.published_at is not None
    if clock.pending_year is not None and not (published and clock.days_left >= 0):
        return ClockView("pending", days=clock.days_left, due=clock.due, year=clock.pending_year)
    if clock.overdue:
        return ClockView("late" if published else "overdue", days=-clock.days_left, due=clock.due)
    return ClockView("on_time" if published else "due", days=clock.days_left, due=clock.due)


@dataclass(frozen=True)
class FindingView:
    field: str
    where: str
    kind: str
    before: str
    match: str
    after: str
    confidence: float
    note: str
    maskable: bool
    attachment: int | None  # the attachment's id, for a finding in an attachment's text
    masked: str  # what masking puts in its place


def finding_views(findings: list[shield.ItemFinding]) -> list[FindingView]:
    """Each finding with some text either side; the template escapes all three parts."""
    rows = []
    for found in findings:
        text, start, end = found.text, found.finding.start, found.finding.end
        lead = max(0, start - CONTEXT_CHARS)
        tail = min(len(text), end + CONTEXT_CHARS)
        rows.append(
            FindingView(
                field=found.field,
                where=found.label,
                kind=found.finding.label,
                before=("…" if lead else "") + text[lead:start],
                match=text[start:end],
                after=text[end:tail] + ("…" if tail < len(text) else ""),
                confidence=found.finding.confidence,
                note=found.finding.note,
                maskable=found.maskable,
                attachment=found.attachment_id,
                masked=found.finding.masked(),
            )
        )
    return rows


@dataclass(frozen=True)
class TimelineRow:
    event: object
    label: str
    status_from: str
    status_to: str
    fields: list[str]
    notes: list[str]


def _field_label(name: str) -> str:
    try:
        return str(Item._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 — an event may name a field that no longer exists
        return name


def timeline(events) -> list[TimelineRow]:
    """Audit events as rows. Field values are not shown: they may hold masked personal data."""
    statuses = dict(ItemStatus.choices)
    rows = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        fields, notes = [], []
        if event.verb == "item.update":
            fields = [_field_label(name) for name in after if name != "status"]
        elif event.verb == "item.mask":
            fields = [_field_label(name) for name in after.get("masked", [])]
        elif event.verb == "attachment.mask":
            counts = "、".join(
                f"{FINDING_LABELS.get(kind, kind)} {n}"
                for kind, n in after.get("counts", {}).items()
            )
            notes.append(f"{after.get('name', '')}：{counts}")
        elif event.verb == "attachment.download":
            notes.append(after.get("name", ""))
        for key, label in (
            ("index_number", _("Index number")),
            ("comment", _("Comment")),
            ("reason", _("Reason")),
            ("privacy_override", _("Privacy override")),
            ("privacy_override_note", _("Note")),
        ):
            if event.verb != "item.create" and after.get(key):
                notes.append(f"{label}：{after[key]}")
        if after.get("originals_removed"):
            notes.append(
                ngettext(
                    "The original of %(n)d masked attachment was removed.",
                    "The originals of %(n)d masked attachments were removed.",
                    len(after["originals_removed"]),
                )
                % {"n": len(after["originals_removed"])}
            )
        if after.get("override_requested"):
            notes.append(_("Submitted with personal data: the author asks for an exception."))
        rows.append(
            TimelineRow(
                event=event,
                label=verb_label(event.verb),
                status_from=statuses.get(before.get("status"), ""),
                status_to=statuses.get(after.get("status"), "") if "status" in before else "",
                fields=fields,
                notes=notes,
            )
        )
    return rows


@dataclass(frozen=True)
class AttachmentRow:
    attachment: object
    findings: int  # personal data found in its text
    maskable: bool  # … and the file can be masked in place


def attachment_rows(item: Item, findings: list[FindingView]) -> list[AttachmentRow]:
    found: dict[int, int] = {}
    for finding in findings:
        if finding.attachment is not None:
            found[finding.attachment] = found.get(finding.attachment, 0) + 1
    return [
        AttachmentRow(a, found.get(a.pk, 0), shield.attachment_maskable(a))
        for a in item.attachments.all()
    ]


@dataclass(frozen=True)
class ImportErrorView:
    row: int | None
    column: str  # the heading the error is about, as the file names it; "" for the row
    message: str


@dataclass(frozen=True)
class ItemImportRow:
    row: int
    column: str
    title: str
    formed_on: date
    genre: str
    document_number: str
    publisher: str
    topic: str
    validity: str


def import_errors(errors, found: dict[str, str], headings) -> list[ImportErrorView]:
    labels = {heading.name: heading.label for heading in headings}
    return [
        ImportErrorView(
            row=error.row,
            column=found.get(error.field) or labels.get(error.field, error.field),
            message=error.detail,
        )
        for error in errors
    ]


def item_import_rows(preview: imports.ItemsPreview) -> list[ItemImportRow]:
    genres, validities = dict(Genre.choices), dict(Validity.choices)
    rows = []
    for parsed in preview.rows:
        values, column = parsed.values, parsed.values["column"]
        rows.append(
            ItemImportRow(
                row=parsed.row,
                column=getattr(column, "import_path", column.name),
                title=values["title"],
                formed_on=values["formed_on"],
                genre=genres.get(values["genre"], values["genre"]),
                document_number=values.get("document_number", ""),
                publisher=values.get("publisher", ""),
                topic=values.get("topic", ""),
                validity=validities.get(values.get("validity", ""), ""),
            )
        )
    return rows


@dataclass(frozen=True)
class PublicationImportRow:
    row: int
    index_number: str
    title: str
    published_on: date
    url: str
    already_recorded: bool


@dataclass(frozen=True)
class ScanFinding:
    kind: str
    match: str
    page: int | None  # where OCR found it, when its words are known


@dataclass(frozen=True)
class ScanRow:
    attachment: object
    status: str
    confidence: float | None
    unread: bool  # still blocks the item
    can_check: bool
    findings: list[ScanFinding]
    pages: list[int]  # pages with findings, each shown with the findings outlined


def scan_rows(user, item: Item, item_findings: list[shield.ItemFinding]) -> list[ScanRow]:
    """Each attachment read (or to be read) by OCR, with its findings and the page each is on."""
    from gongkai.core import ocr

    from .models import OcrStatus

    rows = []
    for attachment in item.attachments.all():
        if attachment.ocr_status == OcrStatus.NOT_NEEDED:
            continue
        found = []
        for f in item_findings:
            if f.attachment_id != attachment.pk:
                continue
            regions = ocr.locate(attachment.ocr_layout, f.finding.start, f.finding.end)
            found.append(
                ScanFinding(
                    kind=f.finding.label,
                    match=f.text[f.finding.start : f.finding.end],
                    page=regions[0].page if regions else None,
                )
            )
        attachment.item = item
        rows.append(
            ScanRow(
                attachment=attachment,
                status=attachment.get_ocr_status_display(),
                confidence=attachment.ocr_confidence,
                unread=attachment.ocr_status in shield.UNREAD_SCAN_STATUSES,
                can_check=permissions.can_check_scan(user, attachment),
                findings=found,
                pages=sorted({f.page for f in found if f.page}),
            )
        )
    return rows


def clock_rows(items, calendar) -> list[tuple[Item, ClockView]]:
    """Each item with its clock, for the lists."""
    return [(item, clock_view(item, calendar)) for item in items]


def publication_import_rows(
    preview: imports.PublicationsPreview | None,
) -> list[PublicationImportRow]:
    return [
        PublicationImportRow(
            row=parsed.row,
            index_number=parsed.item.index_number,
            title=parsed.item.title,
            published_on=parsed.published_on,
            url=parsed.url,
            already_recorded=parsed.already_recorded,
        )
        for parsed in (preview.rows if preview else [])
    ]


def editor_strings() -> dict[str, str]:
    """The rich editor's labels (gongkai/frontend/editor.js reads them from the page)."""
    return {
        "toolbar": _("Formatting"),
        "bold": _("Bold"),
        "italic": _("Italic"),
        "underline": _("Underline"),
        "h2": _("Heading"),
        "h3": _("Subheading"),
        "bulletList": _("Bulleted list"),
        "orderedList": _("Numbered list"),
        "blockquote": _("Quotation"),
        "table": _("Insert a table"),
        "addRow": _("Add a row"),
        "addColumn": _("Add a column"),
        "deleteRow": _("Delete the row"),
        "deleteColumn": _("Delete the column"),
        "deleteTable": _("Delete the table"),
        "link": _("Link"),
        "linkPrompt": _("Web address of the link (empty to remove it):"),
        "undo": _("Undo"),
        "redo": _("Redo"),
        "findingsNone": _("No personal data found so far."),
        "findingsError": _("The check could not run; it will be tried again as you type."),
        "checking": _("Checking…"),
    }


@dataclass(frozen=True)
class SortHeader:
    label: str
    key: str | None  # None: not sortable
    query: str = ""  # the list's query string sorted by this column (toggled)
    aria_sort: str = ""  # "ascending" / "descending" on the column the list is sorted by


def sort_headers(query, sort: str) -> list[SortHeader]:
    """The item list's column headers: a sortable one links to the list sorted by it (the
    other way round when it is the current sort), the filters kept."""
    columns = [
        (_("Index number"), "index"),
        (_("Title"), "title"),
        (_("Column"), "column"),
        (_("Status"), "status"),
        (_("Date of formation"), "formed"),
        (_("Publication date"), "published"),
        (_("Publication limit"), None),
    ]
    sort = sort if sort.lstrip("-") in selectors.ITEM_SORTS else selectors.DEFAULT_ITEM_SORT
    current, descending = sort.lstrip("-"), sort.startswith("-")
    headers = []
    for label, key in columns:
        if key is None:
            headers.append(SortHeader(label, None))
            continue
        q = query.copy()
        q.pop("page", None)
        active = key == current
        q["sort"] = key if active and descending else f"-{key}" if active else key
        aria = ("descending" if descending else "ascending") if active else ""
        headers.append(SortHeader(label, key, q.urlencode(), aria))
    return headers
