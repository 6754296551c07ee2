"""The desk (工作台), the side menu and the officer's dashboard: a registry the apps declare into.

No app reaches into another through `importlib` to find its cards: each app declares what it
shows in its own `desk.py`, and its `AppConfig.ready()` imports that module (importing it runs
the registrations). Three kinds of declaration:

- **to-do cards** of the desk (`@todo_card`): what needs doing now, per agency, for the roles
  the card applies to. The function returns `Task`s, each a count and the link to a list that
  shows exactly those rows (one click: the count IS the list's length);
- **sections** of the side menu (`section(...)`): an app's staff pages for one agency, shown to
  the users its predicate admits;
- **dashboard cards** (`@dashboard_card`): the disclosure officer's figures of the year
  (`operations/dashboard.py`), each number a link to its records.

How an app adds a to-do card (say compliance: "政策文件 last updated 5 months ago"):

1. in `gongkai/<app>/desk.py`::

       from gongkai.core import desk

       @desk.todo_card("compliance", _("Website inspection"), order=70,
                       applies=can_view_compliance)         # (user, agency) -> bool
       def compliance_tasks(user, agency, *, today):
           rows = stale_columns(user, agency=agency, today=today)   # a scoped selector
           return [desk.Task("stale", _("Columns about to go stale"), rows.count(),
                             desk.link("compliance:columns", agency, state="amber"),
                             level=desk.SOON)]

2. in the app's `apps.py`: `def ready(self): from . import desk  # noqa: F401 (registers)`;
3. a test with frozen time (time_machine) that counts the card's rows, that another agency's
   rows are never counted, and that the link opens a list showing those rows.

Rules for a card: compute the counts from a selector scoped to the user (never an unscoped
manager), with a constant number of queries (the desk's query count is pinned in
`core/tests/test_desk.py`); return [] when there is nothing the user could do there; give every
task a link (a task whose list page does not exist yet does not belong on the desk). Labels are
English msgids (`gettext_lazy`). A card without an agency (`per_agency=False`) is asked once with
`agency=None` (the platform's calendar).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from .models import Agency

# How urgent a task is: past a legal limit, close to one, or plain work waiting.
OVERDUE, SOON, WAITING = "overdue", "soon", "waiting"
LEVEL_ORDER = {OVERDUE: 0, SOON: 1, WAITING: 2}


def link(name: str, agency: Agency | None = None, *, anchor: str = "", kwargs=None, **query):
    """The URL of `name` (with the agency's slug when given) and a query string; "" when the
    name does not resolve (a test then fails: every task needs its list)."""
    try:
        url = reverse(
            name, kwargs={**({"agency": agency.slug} if agency else {}), **(kwargs or {})}
        )
    except NoReverseMatch:
        return ""
    params = {k: v for k, v in query.items() if v not in (None, "")}
    if params:
        url = f"{url}?{urlencode(params)}"
    return f"{url}#{anchor}" if anchor else url


# --- to-do cards --------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    key: str  # stable, for tests and styling
    label: str
    count: int
    url: str
    level: str = WAITING
    note: str = ""  # a date or a reason, shown beside the count


@dataclass(frozen=True)
class TodoSpec:
    key: str
    title: str
    order: int
    applies: Callable  # (user, agency | None) -> bool
    tasks: Callable  # (user, agency | None, *, today) -> list[Task]
    per_agency: bool = True


@dataclass
class DeskCard:
    key: str
    title: str
    agency: Agency | None
    tasks: list[Task]

    @property
    def pending(self) -> int:
        return sum(task.count for task in self.tasks)

    @property
    def urgent(self) -> bool:
        return any(task.count and task.level == OVERDUE for task in self.tasks)


@dataclass
class Desk:
    today: date
    agencies: list[tuple[Agency, list[str]]]  # where the user works, with their roles
    general: list[DeskCard] = field(default_factory=list)  # cards without an agency
    by_agency: list[tuple[Agency, list[DeskCard]]] = field(default_factory=list)

    def cards(self) -> list[DeskCard]:
        return [*self.general, *(card for _agency, cards in self.by_agency for card in cards)]

    def task(self, card: str, key: str, agency: Agency | None = None) -> Task | None:
        for found in self.cards():
            if found.key == card and (agency is None or found.agency == agency):
                for task in found.tasks:
                    if task.key == key:
                        return task
        return None


_TODO: dict[str, TodoSpec] = {}


def todo_card(key: str, title, *, order: int, applies: Callable, per_agency: bool = True):
    """Declare a to-do card: decorates `tasks(user, agency, *, today) -> list[Task]`."""

    def register(tasks: Callable) -> Callable:
        _TODO[key] = TodoSpec(key, title, order, applies, tasks, per_agency)
        return tasks

    return register


def todo_cards() -> list[TodoSpec]:
    return sorted(_TODO.values(), key=lambda spec: (spec.order, spec.key))


def build_desk(user, *, today: date) -> Desk:
    """The user's desk: the general cards, then per agency the user works for (holds a role
    in) the cards that apply to their roles there. Cards whose function returns no task are
    left out."""
    from .selectors import roles_by_agency

    desk = Desk(today=today, agencies=roles_by_agency(user))
    specs = todo_cards()
    for spec in specs:
        if not spec.per_agency and spec.applies(user, None):
            tasks = spec.tasks(user, None, today=today)
            if tasks:
                desk.general.append(DeskCard(spec.key, spec.title, None, tasks))
    for agency, _roles in desk.agencies:
        cards = []
        for spec in specs:
            if spec.per_agency and spec.applies(user, agency):
                tasks = spec.tasks(user, agency, today=today)
                if tasks:
                    cards.append(DeskCard(spec.key, spec.title, agency, tasks))
        desk.by_agency.append((agency, cards))
    return desk


# --- sections of the side menu ------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    namespace: str  # the URL namespace of the app's staff pages (the breadcrumbs use it too)
    title: str
    url_name: str  # the section's first page, taking the agency's slug (or its pk)
    order: int
    applies: Callable  # (user, agency) -> bool
    by_pk: bool = False  # the URL names the agency by primary key, not by slug

    def url(self, agency: Agency) -> str:
        if self.by_pk:
            return reverse(self.url_name, kwargs={"pk": agency.pk})
        return reverse(self.url_name, kwargs={"agency": agency.slug})


_SECTIONS: dict[str, Section] = {}


def section(
    namespace: str, title, *, url_name: str, order: int, applies: Callable, by_pk: bool = False
) -> None:
    """Declare an app's section of the side menu (one entry per agency the user works for)."""
    _SECTIONS[namespace] = Section(namespace, title, url_name, order, applies, by_pk)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.namespace))


def section_for(namespace: str) -> Section | None:
    return _SECTIONS.get(namespace)


# --- the officer's dashboard --------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    key: str  # stable, for tests and styling
    label: str
    value: object
    url: str = ""  # "" when there is no list page to link to


@dataclass
class Card:
    key: str
    title: str
    numbers: list[Number] = field(default_factory=list)


@dataclass(frozen=True)
class DashboardSpec:
    key: str
    order: int
    build: Callable  # (user, agency, *, today) -> list[Card]


_DASHBOARD: dict[str, DashboardSpec] = {}


def dashboard_card(key: str, *, order: int):
    """Declare cards of the officer's dashboard: decorates
    `build(user, agency, *, today) -> list[Card]` ([] when the user may not see them)."""

    def register(build: Callable) -> Callable:
        _DASHBOARD[key] = DashboardSpec(key, order, build)
        return build

    return register


def dashboard_cards() -> list[DashboardSpec]:
    return sorted(_DASHBOARD.values(), key=lambda spec: (spec.order, spec.key))
