"""The compliance monitor's declarations for the desk and the side menu (gongkai/core/desk.py
explains the registry): the indicators near their threshold (amber: "政策文件 last updated 5
months ago: 1 month left") and those failing, from the nightly snapshot (one query per agency;
the page linked checks the records again)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy

from gongkai.core import desk
from gongkai.core.models import Agency
from gongkai.core.permissions import can_view_agency

from .check import ERROR, WARNING
from .rules import RULES_BY_ID
from .selectors import can_run_check, snapshot_findings

desk.section(
    "compliance",
    gettext_lazy("Website inspection"),
    url_name="compliance:agency",
    order=70,
    applies=can_view_agency,
)


@desk.todo_card("compliance", gettext_lazy("Website inspection"), order=70, applies=can_run_check)
def compliance_tasks(user, agency: Agency, *, today: date) -> list[desk.Task]:
    findings, _day = snapshot_findings(agency, today=today)
    tasks = []
    for severity, level in ((ERROR, desk.OVERDUE), (WARNING, desk.SOON)):
        by_rule: dict[str, list] = {}
        for finding in findings:
            if finding.severity == severity:
                by_rule.setdefault(finding.rule, []).append(finding)
        for rule_id, found in by_rule.items():
            tasks.append(
                desk.Task(
                    f"{severity}_{rule_id}",
                    RULES_BY_ID[rule_id].title,
                    len(found),
                    desk.link("compliance:agency", agency, anchor=f"rule-{rule_id}"),
                    level=level,
                    note=found[0].message,
                )
            )
    return tasks
