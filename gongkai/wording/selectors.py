"""The terms in force: the built-in list plus the administrator's active entries."""

from __future__ import annotations

from django.db.models import Count, Max

from .check import Term, TermSet, builtin_terms, compile_terms
from .models import WordingTerm

_compiled: dict[tuple, TermSet] = {}


def admin_terms() -> list[Term]:
    return [
        Term(
            correct=row.correct,
            wrong=tuple(row.wrong_list),
            category=row.category,
            basis=row.basis,
            allow=tuple(row.allow_list),
            near=row.near,
            source="admin",
        )
        for row in WordingTerm.objects.filter(is_active=True).order_by("id")
    ]


def platform_terms() -> TermSet:
    """The compiled terms, rebuilt only when an administrator's entry changed: one small
    aggregate query per call (every write touches updated_at)."""
    stamp = tuple(WordingTerm.objects.aggregate(n=Count("id"), last=Max("updated_at")).values())
    termset = _compiled.get(stamp)
    if termset is None:
        # Administrator's entries first: for a wrong form in both lists, theirs wins.
        termset = compile_terms([*admin_terms(), *builtin_terms()])
        _compiled.clear()
        _compiled[stamp] = termset
    return termset
