"""Writes to the administrator's wording terms: typed, audited, platform administrators only."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.models import User

from .check import builtin_terms, builtin_termset, find_wording
from .models import TermCategory, WordingTerm

FIELDS = ["correct", "wrong_forms", "category", "basis", "allow", "near", "is_active"]


def can_change_terms(user) -> bool:
    """The term list is shared by every agency: platform administrators only."""
    return bool(user and user.is_active and user.is_superuser)


def lines(values: Iterable[str] | str) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    out = []
    for value in values:
        value = value.strip()
        if value and value not in out:
            out.append(value)
    return out


def validate_term(*, correct: str, wrong: list[str], category: str, allow: list[str]) -> None:
    errors: dict[str, list[str]] = {}
    if not correct:
        errors.setdefault("correct", []).append(_("Enter the correct form."))
    if category not in TermCategory.values:
        errors.setdefault("category", []).append(_("Choose a category."))
    if not wrong:
        errors.setdefault("wrong_forms", []).append(_("Enter at least one wrong form."))
    corrects = {t.correct for t in builtin_terms()} | {correct}
    for form in wrong:
        if form == correct:
            errors.setdefault("wrong_forms", []).append(
                _("A wrong form cannot be the correct form itself.")
            )
        elif form in corrects:
            errors.setdefault("wrong_forms", []).append(
                _("“%(form)s” is the correct form of a built-in term.") % {"form": form}
            )
        elif len(form) < 2:
            errors.setdefault("wrong_forms", []).append(
                _("“%(form)s” is too short: a wrong form has two characters at least.")
                % {"form": form}
            )
    # The correct form must read as correct: none of the other wrong forms may hit it.
    if correct and not errors:
        hits = [
            f.found for f in find_wording(correct, terms=builtin_termset()) if f.kind == "known"
        ]
        protected = set(allow)
        hits = [hit for hit in hits if not any(hit in text for text in protected)]
        if hits:
            errors.setdefault("correct", []).append(
                _("The correct form contains a listed wrong form: %(hits)s.")
                % {"hits": "、".join(hits)}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def wording_term_create(
    *,
    actor: User,
    correct: str,
    wrong_forms: list[str] | str,
    category: str,
    basis: str = "",
    allow: Iterable[str] | str = (),
    near: bool | None = None,
) -> WordingTerm:
    if not can_change_terms(actor):
        raise PermissionDenied(_("Only a platform administrator may change the term list."))
    correct = correct.strip()
    wrong, allowed = lines(wrong_forms), lines(allow)
    validate_term(correct=correct, wrong=wrong, category=category, allow=allowed)
    term = WordingTerm.objects.create(
        correct=correct,
        wrong_forms="\n".join(wrong),
        category=category,
        basis=basis.strip(),
        allow="\n".join(allowed),
        near=near,
        created_by=actor,
    )
    audit_record(actor=actor, verb="wording_term.create", obj=term, after=snapshot(term, FIELDS))
    return term


@transaction.atomic
def wording_term_update(
    *,
    actor: User,
    term: WordingTerm,
    correct: str,
    wrong_forms: list[str] | str,
    category: str,
    basis: str = "",
    allow: Iterable[str] | str = (),
    near: bool | None = None,
    is_active: bool = True,
) -> WordingTerm:
    if not can_change_terms(actor):
        raise PermissionDenied(_("Only a platform administrator may change the term list."))
    term = WordingTerm.objects.select_for_update().get(pk=term.pk)
    before = snapshot(term, FIELDS)
    correct = correct.strip()
    wrong, allowed = lines(wrong_forms), lines(allow)
    validate_term(correct=correct, wrong=wrong, category=category, allow=allowed)
    term.correct, term.wrong_forms, term.category = correct, "\n".join(wrong), category
    term.basis, term.allow, term.near, term.is_active = (
        basis.strip(),
        "\n".join(allowed),
        near,
        is_active,
    )
    term.save()
    old, new = changed_fields(before, snapshot(term, FIELDS))
    if new:
        audit_record(actor=actor, verb="wording_term.update", obj=term, before=old, after=new)
    return term


@transaction.atomic
def wording_term_set_active(*, actor: User, term: WordingTerm, active: bool) -> WordingTerm:
    if not can_change_terms(actor):
        raise PermissionDenied(_("Only a platform administrator may change the term list."))
    term = WordingTerm.objects.select_for_update().get(pk=term.pk)
    if term.is_active != active:
        term.is_active = active
        term.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            verb="wording_term.activate" if active else "wording_term.deactivate",
            obj=term,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return term
