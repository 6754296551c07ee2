"""The lint on real published reports (fixtures/real/, sources in its SOURCES.md): correct
reports as their agencies published them, so an error on one is the lint's error, not theirs."""

import pytest

from gongkai.reports.cli_lint import load_report
from gongkai.reports.lint import ERROR, lint_report

from .realset import reports

REAL = reports()


@pytest.mark.parametrize("path, spec", REAL, ids=[path.stem for path, _spec in REAL])
def test_no_error_on_a_real_report(path, spec):
    report, import_findings = load_report(str(path))
    findings = import_findings + lint_report(report)
    errors = [f"{f.code}: {f.message}" for f in findings if f.severity == ERROR]
    assert errors == []


def test_the_real_set_covers_both_subsets():
    assert {"dev", "eval"} <= {spec["subset"] for _path, spec in REAL}
    assert len(REAL) >= 20
