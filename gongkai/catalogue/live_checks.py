"""What the item editor shows beside the text while it is typed: the privacy shield's findings
(and any other checker's), from the title, summary and body as they stand in the form.

A checker is a function (agency, fields) -> list[LiveFinding], where fields maps "title",
"summary" and "body" (the body's plain text, as the shield reads it) to their text. CHECKERS
lists them in the order they are shown; another app adds its own with `register`. An excerpt
never shows the personal data it found: it is masked, and so is any other finding near it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from gongkai.core.models import Agency
from gongkai.privacy import mask_value

from . import richtext, shield
from .models import Item

CONTEXT_CHARS = 12
# a body longer than this is not checked as it is typed (the save checks it)
MAX_CHARS = 200_000


@dataclass(frozen=True)
class LiveFinding:
    check: str  # "privacy", or the checker's name
    field: str  # "title", "summary" or "body"
    where: str  # the field's label
    kind: str  # what was found, for a person
    excerpt: str  # the text around it, with the finding (and any other near it) masked
    suggestion: str = ""


Checker = Callable[[Agency, dict[str, str]], list[LiveFinding]]


def _excerpts(text: str, findings) -> list[str]:
    """For each finding, the text around it with every finding masked (deterministic masks,
    as the item's masking writes them)."""
    pieces, spans, last = [], [], 0
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < last:  # overlaps one already masked
            spans.append(None)
            continue
        pieces.append(text[last : finding.start])
        position += finding.start - last
        masked = mask_value(finding.type, finding.text)
        pieces.append(masked)
        spans.append((position, position + len(masked)))
        position += len(masked)
        last = finding.end
    pieces.append(text[last:])
    masked_text = "".join(pieces)
    result = []
    for span in spans:
        if span is None:
            result.append("")
            continue
        start, end = span
        lead, tail = max(0, start - CONTEXT_CHARS), min(len(masked_text), end + CONTEXT_CHARS)
        excerpt = masked_text[lead:tail].replace("\n", " ").replace("\t", " ")
        result.append(("…" if lead else "") + excerpt + ("…" if tail < len(masked_text) else ""))
    return result


def privacy_check(agency: Agency, fields: dict[str, str]) -> list[LiveFinding]:
    find = shield.item_finder(Item(agency=agency))
    found = []
    for name, text in fields.items():
        findings = sorted(find(text), key=lambda f: f.start)
        for finding, excerpt in zip(findings, _excerpts(text, findings), strict=True):
            found.append(
                LiveFinding(
                    check="privacy",
                    field=name,
                    where=str(shield.FIELD_LABELS[name]),
                    kind=str(finding.label),
                    excerpt=excerpt,
                    suggestion=_("Mask it (%(masked)s) or remove it.")
                    % {"masked": mask_value(finding.type, finding.text)},
                )
            )
    return found


CHECKERS: list[Checker] = [privacy_check]


def register(checker: Checker) -> None:
    """Add a checker (e.g. the wording check of another app) once."""
    if checker not in CHECKERS:
        CHECKERS.append(checker)


def check_fields(agency: Agency, *, title: str, summary: str, body: str) -> list[dict]:
    """Every checker's findings in the form's text, as JSON-ready dicts. The body is sanitised
    first, as saving it would, so what is checked is what would be stored."""
    fields = {
        "title": title,
        "summary": summary,
        "body": richtext.scan_text(richtext.sanitize(body)),
    }
    return [asdict(finding) for checker in CHECKERS for finding in checker(agency, fields)]
