"""Writes of the search app: the staff's dictionary words. Keyword-only, checked, audited.

Adding or removing a word raises the dictionary version: documents segmented before it are
stale and `gongkai search reindex --stale` re-segments them (until then a new word is also
searched by its bigrams, so documents holding it in pieces are still found).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import User
from gongkai.core.permissions import require

from . import dictionary, permissions
from .models import SearchTerm
from .segment import is_cjk, normalize_word

MIN_WORD_LENGTH = 2
MAX_WORD_LENGTH = 30


def _invalid(message: str, code: str):
    raise ValidationError({"word": ValidationError(message, code=code)})


def clean_word(word: str) -> str:
    """The word as the dictionary stores it (NFKC, lower case), or ValidationError."""
    word = normalize_word(word or "")
    if not MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH:
        _invalid(
            _("Enter a word of %(min)d to %(max)d characters.")
            % {"min": MIN_WORD_LENGTH, "max": MAX_WORD_LENGTH},
            "length",
        )
    if not all(ch.isalnum() for ch in word):
        _invalid(
            _("A dictionary word has letters and digits only, no spaces or punctuation."),
            "characters",
        )
    if not any(is_cjk(ch) for ch in word):
        _invalid(_("A dictionary word must contain Chinese characters."), "no_chinese")
    return word


@transaction.atomic
def search_term_add(*, actor: User | None, word: str) -> SearchTerm:
    if actor is not None:
        require(permissions.can_manage_search_terms(actor))
    word = clean_word(word)
    if SearchTerm.objects.filter(word=word).exists():
        _invalid(_("“%(word)s” is already in the dictionary.") % {"word": word}, "duplicate")
    version = dictionary.bump()
    term = SearchTerm.objects.create(word=word, version=version, added_by=actor)
    audit_record(
        actor=actor,
        verb="search.term_add",
        obj=term,
        after={"word": word, "dictionary_version": version},
    )
    return term


@transaction.atomic
def search_term_remove(*, actor: User | None, term: SearchTerm) -> None:
    if actor is not None:
        require(permissions.can_manage_search_terms(actor))
    term = SearchTerm.objects.select_for_update().get(pk=term.pk)
    version = dictionary.bump()
    audit_record(
        actor=actor,
        verb="search.term_remove",
        obj=term,
        before={"word": term.word},
        after={"dictionary_version": version},
    )
    term.delete()
