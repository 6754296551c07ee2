"""gongkai report <verb> …: one subparser per verb, each verb in its own module.

A verb module (gongkai/reports/cli_<verb>.py) defines
    HELP: str                                   — the verb's one-line help
    add_arguments(parser) -> None               — its arguments, on the verb's own subparser
    handle(command, **options) -> int | None    — runs it; a non-zero int is the exit status
The modules are imported lazily; a verb whose module is missing is left out.

    gongkai report compute --agency X --year Y --format 2021|2019|pre2019 [--json]
    gongkai report lint …      (gongkai/reports/cli_lint.py)
    gongkai report import …    (gongkai/reports/cli_import.py)
    gongkai report check …     (gongkai/reports/cli_check.py)
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.core.management.base import BaseCommand

VERBS = {
    "compute": "gongkai.reports.cli_compute",
    "lint": "gongkai.reports.cli_lint",
    "import": "gongkai.reports.cli_import",
    "export": "gongkai.reports.cli_export",
    "check": "gongkai.reports.cli_check",
}


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:  # the verb is not installed; a broken import inside it still fails
            return None
        raise


def verbs() -> dict[str, ModuleType]:
    found = {}
    for verb, name in VERBS.items():
        module = _module(name)
        if module is not None:
            found[verb] = module
    return found


class Command(BaseCommand):
    help = "Annual reports: compute, lint and import (see gongkai report <verb> --help)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        for verb, module in verbs().items():
            module.add_arguments(sub.add_parser(verb, help=module.HELP))

    def handle(self, *args, verb, **options):
        code = verbs()[verb].handle(self, **options)
        if code:
            raise SystemExit(code)
