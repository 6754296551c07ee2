"""The demo's loaders: a registry the apps declare into, which `gongkai demo` runs in order.

Core knows no domain app: each app registers the dotted path of its loader in its
`AppConfig.ready()` (a path, so that starting a process does not import the demo data)::

    from gongkai.core import demos

    demos.register("gongkai.matters.demo.run_demo", order=50)

A loader is `run_demo(out: demos.Output) -> list[DemoUser] | None`: it creates what is missing
(idempotent), prints its one-line summary through `out.print` and, for a long one, shows a
progress bar with `out.progress(...)`; the users it returns are listed with the logins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.module_loading import import_string
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn


@dataclass(frozen=True)
class Loader:
    path: str
    order: int


_LOADERS: dict[str, Loader] = {}


def register(path: str, *, order: int) -> None:
    """Declare an app's demo loader (idempotent: ready() may run more than once)."""
    _LOADERS[path] = Loader(path, order)


def loaders() -> list[Loader]:
    # by order: an app's demo reads what an earlier one created (items before applications)
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.path))


class Output:
    """What a loader prints and its progress bar (live on a terminal, silent in a pipe)."""

    def __init__(self, console: Console):
        self.console = console

    def print(self, text: str) -> None:
        self.console.print(text)

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[[str], None]]:
        """Yield `advance(label)`, called once per unit of `total`."""
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(
            *columns, console=self.console, transient=True, disable=not self.console.is_terminal
        ) as bar:
            task = bar.add_task(description, total=total)
            yield lambda label: bar.update(task, advance=1, description=label[:30])


def run(out: Output) -> list:
    """Run every registered loader in order; the users they return."""
    users: list = []
    for loader in loaders():
        users.extend(import_string(loader.path)(out) or [])
    return users
