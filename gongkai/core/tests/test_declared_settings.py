"""Every GONGKAI_ setting is declared with its default in config/settings/base.py and read as
`settings.X`: no module hides a default in `getattr(settings, "GONGKAI_…", default)`."""

import os
import re
from pathlib import Path

import pytest

from gongkai.config.settings import base

PACKAGE = Path(base.__file__).resolve().parents[2]
HIDDEN_DEFAULT = re.compile(r"getattr\(\s*settings\s*,\s*[\"']GONGKAI_")


def test_no_module_reads_a_gongkai_setting_with_a_hidden_default():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and HIDDEN_DEFAULT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("name", "variable", "default"),
    [
        ("GONGKAI_REPORT_CHECK_MAX_BYTES", "GONGKAI_REPORT_CHECK_MAX_MB", 100 * 2**20),
        ("GONGKAI_SEARCH_BACKEND", "GONGKAI_SEARCH_BACKEND", ""),
        ("GONGKAI_SEARCH_MAX_CHARS", "GONGKAI_SEARCH_MAX_CHARS", 100_000),
        ("GONGKAI_SEARCH_COUNT_CAP", "GONGKAI_SEARCH_COUNT_CAP", 10_000),
        ("GONGKAI_SEARCH_MAX_RESULTS", "GONGKAI_SEARCH_MAX_RESULTS", 1_000),
        ("GONGKAI_SEARCH_DENSE_POOL", "GONGKAI_SEARCH_DENSE_POOL", 200),
        ("GONGKAI_OCR_DPI", "GONGKAI_OCR_DPI", 300),
        ("GONGKAI_TASKS_MAX_ATTEMPTS", "GONGKAI_TASKS_MAX_ATTEMPTS", 3),
        ("GONGKAI_TASKS_POLL_SECONDS", "GONGKAI_TASKS_POLL_SECONDS", 60),
        ("GONGKAI_PAGE_CACHE_RECENT", "GONGKAI_PAGE_CACHE_RECENT", 1000),
    ],
)
def test_the_defaults_once_hidden_are_declared(name, variable, default):
    if variable in os.environ:
        pytest.skip(f"{variable} is set in this environment")
    assert getattr(base, name) == default


def test_the_report_check_reads_its_setting(settings):
    from gongkai.reports.services_batch import max_upload_bytes

    settings.GONGKAI_REPORT_CHECK_MAX_BYTES = 12345
    assert max_upload_bytes() == 12345
