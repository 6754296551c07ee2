"""Accessibility checks with axe-core, injected into the page under test.

axe-core comes from npm (package.json / package-lock.json at the repository root; `make
install-test` runs `npm ci`). It is read from node_modules/ and evaluated in the
page through the DevTools protocol (the page's Content-Security-Policy refuses inline script),
so no network access happens during the tests.

    violations = run_axe(page)                 # every violation axe reports
    assert_no_serious_violations(page, "item")  # fails on impact serious or critical

The rules are axe's WCAG 2.0 A and AA rules plus its best practices (RULE_TAGS).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
RULE_TAGS = ("wcag2a", "wcag2aa", "best-practice")
FAILING_IMPACTS = ("serious", "critical")
MAX_TARGETS = 3

_RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return {
        version: axe.version,
        violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            targets: v.nodes.map((n) => n.target.join(" ")),
            summaries: v.nodes.map((n) => n.failureSummary || ""),
        })),
    };
}"""


def axe_script() -> Path:
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"{AXE_SCRIPT.relative_to(REPO_ROOT)} is missing: the accessibility checks inject "
            "axe-core from npm. Run `make install-test` (or `npm ci` at the repository root).",
            pytrace=False,
        )
    return AXE_SCRIPT


def run_axe(page: Page, tags: tuple[str, ...] = RULE_TAGS) -> list[dict[str, Any]]:
    """Inject axe-core into the page (once per document) and return its violations, each a dict
    with id, impact, help, helpUrl, targets (CSS selectors) and summaries."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does
        # not govern: a <script> tag (page.add_script_tag) would be inline script, refused.
        page.evaluate(axe_script().read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(_RUN_AXE, list(tags))["violations"]


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = v["targets"]
        shown = ", ".join(targets[:MAX_TARGETS])
        more = f" (+{len(targets) - MAX_TARGETS} more)" if len(targets) > MAX_TARGETS else ""
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']}: {shown}{more}")
        if v["summaries"] and v["summaries"][0]:
            first = " ".join(v["summaries"][0].split())
            lines.append(f"    {first[:300]}")
        lines.append(f"    {v['helpUrl']}")
    return "\n".join(lines)


def serious_violations(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def assert_no_serious_violations(page: Page, label: str = "") -> list[dict[str, Any]]:
    """Fail, listing each one, if axe finds violations of impact serious or critical on the page.
    Returns all the violations (the minor and moderate ones included) for further checks."""
    violations = run_axe(page)
    failing = serious_violations(violations)
    if failing:
        where = f"{label} ({page.url})" if label else page.url
        raise AssertionError(
            f"axe-core: {len(failing)} serious or critical violation(s) on {where}:\n"
            + format_violations(failing)
        )
    return violations
