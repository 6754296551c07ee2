"""The terms in force: the built-in list plus the administrator's active entries."""

from __future__ import annotations

from .check import Term, TermSet, builtin_terms, compile_terms
from .models import WordingTerm

_compiled: dict[tuple, TermSet] = {}


def _term(row: WordingTerm) -> Term:
    return Term(
        correct=row.correct,
        wrong=tuple(row.wrong_list),
        category=row.category,
        basis=row.basis,
        allow=tuple(row.allow_list),
        near=row.near,
        source="admin",
    )


def admin_terms() -> list[Term]:
    return [_term(row) for row in WordingTerm.objects.filter(is_active=True).order_by("id")]


def platform_terms() -> TermSet:
    """The compiled terms: the administrator's active entries (one query, always exactly one,
    so callers' query counts do not depend on what an earlier call cached) and the built-in
    list; compiled again only when an entry changed."""
    rows = list(WordingTerm.objects.filter(is_active=True).order_by("id"))
    stamp = tuple((row.pk, row.updated_at) for row in rows)
    termset = _compiled.get(stamp)
    if termset is None:
        # Administrator's entries first: for a wrong form in both lists, theirs wins.
        termset = compile_terms([*(_term(row) for row in rows), *builtin_terms()])
        _compiled.clear()
        _compiled[stamp] = termset
    return termset
