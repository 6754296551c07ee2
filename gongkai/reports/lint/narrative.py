"""The narrative against its tables: unknown tokens, figures that differ, arithmetic."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongkai.reports.formats import Format
from gongkai.reports.importers.base import Finding
from gongkai.reports.narrative import placeholders, render_narrative, unknown_tokens
from gongkai.reports.narrative_check import (
    narrative_percentages,
    narrative_sums,
    narrative_vs_cells,
)

from .findings import BASIS, ERROR, INFO, WARNING, _finding


def narrative_findings(fmt: Format, narrative: dict, cells: dict) -> list[Finding]:
    """Tokens naming no cell of the format, then the checks on the text as it is shown (every
    {{cell:…}} token replaced by its figure): sums (an error: a total that is not its parts),
    shares (a warning), figures against the table cells they name (an error when the words
    are the table's own, a warning when they may count something wider, a note when 收到/受理
    counts the carried-over applications in)."""
    findings = []
    known = {key: cells.get(key) for key in fmt.cell_keys()}
    for section, key in unknown_tokens(narrative, known):
        findings.append(
            _finding(
                "narrative_token",
                ERROR,
                _("The text quotes a cell the format does not have: %(cell)s.") % {"cell": key},
                location=section,
            )
        )
    for section, placeholder in placeholders(narrative):
        findings.append(
            _finding(
                "narrative_placeholder",
                ERROR,
                _("The text still has a part to write: %(placeholder)s.")
                % {"placeholder": placeholder},
                location=section,
            )
        )
    narrative = render_narrative(narrative, known)
    for mismatch in narrative_sums(narrative):
        findings.append(
            _finding(
                "narrative_sum",
                ERROR,
                _(
                    "The text states a total of %(stated)s%(unit)s but its parts add up to %(sum)s%(unit)s."
                )
                % {"stated": mismatch.stated, "sum": mismatch.computed, "unit": mismatch.unit},
                expected=mismatch.stated,
                actual=mismatch.computed,
                location=f"{mismatch.section}：{mismatch.excerpt}",
            )
        )
    for share in narrative_percentages(narrative):
        findings.append(
            _finding(
                "narrative_percent",
                WARNING,
                _(
                    "The text gives %(label)s a share of %(stated)s%%; its figures give %(computed)s%%."
                )
                % {"label": share.label, "stated": share.stated, "computed": share.computed},
                expected=share.computed,
                actual=share.stated,
                location=f"{share.section}：{share.excerpt}",
            )
        )
    for mismatch in narrative_vs_cells(fmt.key, narrative, cells):
        location = f"{mismatch.section}：{mismatch.excerpt}"
        if mismatch.with_carry and mismatch.quantity == "received":
            findings.append(
                _finding(
                    "narrative_received_with_carry",
                    INFO,
                    _(
                        "The text counts %(stated)s applications: the %(new)s received this year "
                        "and the %(carried)s carried over from last year. The table counts them "
                        "apart."
                    )
                    % {
                        "stated": mismatch.stated,
                        "new": mismatch.table_value,
                        "carried": mismatch.stated - mismatch.table_value,
                    },
                    basis=BASIS["narrative_table"],
                    expected=mismatch.table_value,
                    actual=mismatch.stated,
                    location=location,
                )
            )
            continue
        # 新收 N件 where N = 新收 + 上年结转: the carried-over counted in under the wrong word,
        # a look is enough
        exact = mismatch.strength == "exact" and not mismatch.with_carry
        findings.append(
            _finding(
                "narrative_table",
                ERROR if exact else WARNING,
                _("The text says %(stated)s where the table (%(cell)s) says %(value)s.")
                % {"stated": mismatch.stated, "cell": mismatch.cell, "value": mismatch.table_value},
                expected=mismatch.table_value,
                actual=mismatch.stated,
                location=location,
            )
        )
    return findings
