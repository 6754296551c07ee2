"""A small declarative state machine: the one place an app says which steps its records take.

An app's `workflow.py` declares a `Machine`: its transitions, each with the statuses it starts
from, the status it leads to, the permission it needs (a predicate over the user and the
record, from the app's permissions.py) and the audit verb it writes. Then:

- `machine.allowed(user, obj, name)` / `machine.actions(user, obj)`: what a view, the API or a
  template offers (buttons) and what it refuses with 403 — the same guard the service applies;
- `machine.apply(obj, name, actor=...)` inside the service's transaction, on the locked row:
  checks the guard (PermissionDenied, then the app's own refusal for a status the step does not
  start from), sets the status, saves and writes the audit event.

Core imports no domain app: the statuses are plain strings, the refusal is the app's callable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .audit import audit_record
from .permissions import require

Permission = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Transition:
    """One step: from any of `sources` to `target` (None: the status does not change here; the
    service decides, e.g. the last of several consultations ending)."""

    name: str
    sources: frozenset[str]
    target: str | None
    # who may take the step, on this record; None: the service checks (or only the system acts)
    permission: Permission | None = None
    # the audit event's verb; None: `<machine.noun>.<name>`
    verb: str | None = None


@dataclass(frozen=True)
class Machine:
    noun: str  # the audit verbs' prefix, e.g. "matter"
    transitions: tuple[Transition, ...]
    # the exception for a step the record's status does not allow (each app keeps its message)
    refuse: Callable[[Any, Transition], Exception]
    status_field: str = "status"
    _by_name: Mapping[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {str(t.name): t for t in self.transitions}
        if len(by_name) != len(self.transitions):
            raise ValueError(f"{self.noun}: two transitions share a name")
        object.__setattr__(self, "_by_name", by_name)

    # --- the table ------------------------------------------------------------------------

    def __getitem__(self, name: str) -> Transition:
        return self._by_name[str(name)]

    def names(self) -> list[str]:
        return list(self._by_name)

    def target(self, name: str, current: str) -> str | None:
        """The status step `name` leads to from `current`, or None if the step does not start
        there (a step whose target is None leaves the status as it is)."""
        step = self[name]
        if current not in step.sources:
            return None
        return step.target if step.target is not None else current

    def possible(self, current: str) -> list[str]:
        """The steps that start from `current`, whoever asks (in declaration order)."""
        return [name for name, step in self._by_name.items() if current in step.sources]

    def pairs(self) -> set[tuple[str, str, str | None]]:
        """(source, step, target) for every move: what the golden tests compare."""
        return {
            (s, name, step.target) for name, step in self._by_name.items() for s in step.sources
        }

    # --- the guard ------------------------------------------------------------------------

    def status(self, obj: Any) -> str:
        return getattr(obj, self.status_field)

    def permitted(self, user: Any, obj: Any, name: str) -> bool:
        step = self[name]
        return step.permission is None or bool(step.permission(user, obj))

    def allowed(self, user: Any, obj: Any, name: str) -> bool:
        """May `user` take step `name` on `obj` now: its status and the step's permission."""
        return self.status(obj) in self[name].sources and self.permitted(user, obj, name)

    def actions(self, user: Any, obj: Any) -> list[str]:
        """The steps `user` may take on `obj` now: the buttons a page shows."""
        return [name for name in self.possible(self.status(obj)) if self.permitted(user, obj, name)]

    def require(self, actor: Any, obj: Any, name: str) -> None:
        """PermissionDenied unless `actor` may take step `name` on `obj` (its permission only:
        for services that refuse by permission and by status at different points)."""
        require(self.permitted(actor, obj, name))

    def check(self, obj: Any, name: str, *, actor: Any = None) -> Transition:
        """Refuse the step unless allowed: PermissionDenied for the actor (None is the system,
        which the permission does not bind), then the app's refusal for the status."""
        step = self[name]
        if actor is not None and step.permission is not None:
            require(step.permission(actor, obj))
        if self.status(obj) not in step.sources:
            raise self.refuse(obj, step)
        return step

    # --- the step ---------------------------------------------------------------------------

    def move(self, obj: Any, name: str) -> str:
        """Check the step's status and set the status it leads to, in memory only: for a
        record created in that status, whose creation is its audit event (an application
        registered as received). Returns the new status."""
        step = self.check(obj, name)
        goal = step.target if step.target is not None else self.status(obj)
        setattr(obj, self.status_field, goal)
        return goal

    def apply(
        self,
        obj: Any,
        name: str,
        *,
        actor: Any,
        agency: Any = None,
        before: dict | None = None,
        after: dict | None = None,
        check_permission: bool = True,
        clean: bool = False,
        changes: Callable[[Any], tuple[dict, dict]] | None = None,
    ) -> str:
        """Take step `name` on `obj` (locked by the caller, inside its transaction): check,
        set the status, (full_clean,) save, audit. `before`/`after` add to the event's status
        change; `changes(obj)`, called once the status is set, gives the event's before and
        after instead (a service that audits every changed field). Returns the new status."""
        step = self.check(obj, name, actor=actor if check_permission else None)
        previous = self.status(obj)
        goal = step.target if step.target is not None else previous
        setattr(obj, self.status_field, goal)
        if clean:
            obj.full_clean()
        if changes is not None:
            before, after = changes(obj)
        else:
            before = {"status": previous, **(before or {})}
            after = {"status": goal, **(after or {})}
        obj.save()
        audit_record(
            actor=actor,
            verb=step.verb or f"{self.noun}.{step.name}",
            obj=obj,
            agency=agency if agency is not None else getattr(obj, "agency", None),
            before=before,
            after=after,
        )
        return goal


def transitions(
    table: Mapping[str, tuple[Iterable[str], str | None]], **permissions: Permission
) -> tuple[Transition, ...]:
    """Transitions from a compact table {name: (sources, target)}, with permissions by name."""
    return tuple(
        Transition(str(name), frozenset(sources), target, permission=permissions.get(str(name)))
        for name, (sources, target) in table.items()
    )
