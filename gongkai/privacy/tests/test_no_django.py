"""The detection and masking modules are plain Python: importing them loads no Django."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    ["gongkai.privacy.detect", "gongkai.privacy.masking", "gongkai.privacy"],
)
def test_importing_does_not_load_django(module):
    code = (
        f"import {module}, sys; "
        "assert not any(m.startswith('django') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_the_brief_s_exact_check():
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import gongkai.privacy.detect, sys; "
            "assert not any(m.startswith('django') for m in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
