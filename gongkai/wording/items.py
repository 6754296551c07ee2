"""The wording findings of a catalogue item (title, summary, body, attachments' text), for its
staff page, the reviewer's acknowledgement and the compliance monitor; and the checker the item
editor calls as the text is typed (registered with gongkai.catalogue.live_checks)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .check import KNOWN, TermSet, WordingFinding, find_wording
from .selectors import platform_terms

CONTEXT_CHARS = 16


@dataclass(frozen=True)
class ItemWordingFinding:
    field: str  # "title", "summary", "body" or "attachment:<id>"
    where: str
    before: str
    found: str
    after: str
    suggestion: str
    kind: str
    basis: str

    @property
    def kind_label(self) -> str:
        if self.kind == KNOWN:
            return _("Listed miswriting")
        return _("One character away from the term")

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "where": self.where,
            "found": self.found,
            "suggestion": self.suggestion,
            "kind": self.kind,
        }


def _texts(item) -> list[tuple[str, str, str]]:
    from gongkai.catalogue import richtext, shield

    texts = [
        ("title", str(shield.FIELD_LABELS["title"]), item.title or ""),
        ("summary", str(shield.FIELD_LABELS["summary"]), item.summary or ""),
        ("body", str(shield.FIELD_LABELS["body"]), richtext.scan_text(item.body or "")),
    ]
    texts += [
        (f"attachment:{a.pk}", a.original_name, a.text) for a in item.attachments.all() if a.text
    ]
    return texts


def _row(field: str, where: str, text: str, finding: WordingFinding) -> ItemWordingFinding:
    lead = max(0, finding.start - CONTEXT_CHARS)
    tail = min(len(text), finding.end + CONTEXT_CHARS)
    return ItemWordingFinding(
        field=field,
        where=where,
        before=("…" if lead else "") + text[lead : finding.start],
        found=finding.found,
        after=text[finding.end : tail] + ("…" if tail < len(text) else ""),
        suggestion=finding.suggestion,
        kind=finding.kind,
        basis=finding.term.basis,
    )


def item_findings(item, *, terms: TermSet | None = None) -> list[ItemWordingFinding]:
    """Every miswritten term in the item's text, field by field, in reading order."""
    terms = terms or platform_terms()
    return [
        _row(field, where, text, finding)
        for field, where, text in _texts(item)
        for finding in find_wording(text, terms=terms)
    ]


# --- the item editor's live check ------------------------------------------------------------


def live_check(agency, fields: dict[str, str]) -> list:
    """The findings of the form's title, summary and body as they are typed. The excerpt masks
    any personal data the privacy shield finds in it, as the editor's other findings do."""
    from gongkai.catalogue import live_checks, shield
    from gongkai.catalogue.models import Item
    from gongkai.privacy import mask_value

    terms = platform_terms()
    personal = shield.item_finder(Item(agency=agency))
    out = []
    for name, text in fields.items():
        findings = find_wording(text, terms=terms)
        if not findings:
            continue
        private = sorted(personal(text), key=lambda f: f.start)
        for finding in findings:
            lead = max(0, finding.start - live_checks.CONTEXT_CHARS)
            tail = min(len(text), finding.end + live_checks.CONTEXT_CHARS)
            pieces, position = [], lead
            for hit in private:
                if hit.end <= lead or hit.start >= tail:
                    continue
                start, end = max(hit.start, position), min(hit.end, tail)
                if start < position:
                    continue
                pieces.append(text[position:start])
                pieces.append(mask_value(hit.type, hit.text)[: end - start] or "*")
                position = end
            pieces.append(text[position:tail])
            excerpt = "".join(pieces).replace("\n", " ").replace("\t", " ")
            out.append(
                live_checks.LiveFinding(
                    check="wording",
                    field=name,
                    where=str(shield.FIELD_LABELS.get(name, name)),
                    kind=str(_("Miswritten term")),
                    excerpt=("…" if lead else "") + excerpt + ("…" if tail < len(text) else ""),
                    suggestion=_("Write “%(correct)s” instead of “%(found)s”.")
                    % {"correct": finding.suggestion, "found": finding.found},
                )
            )
    return out
