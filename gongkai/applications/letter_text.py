"""Pure text rules for letters: how the applicant is addressed and punctuation left doubled where
an officer's text meets the template's.

No database, no Django: both are plain functions of their arguments, tested on their own.
"""

from __future__ import annotations

import re

from .taxonomy import ApplicantType

# 您 for a natural person; 贵单位 for a legal person or other organisation (any other type).
PERSON_WORD = "您"
ORGANISATION_WORD = "贵单位"
# What templates written before the 称谓 placeholder say for "you, person or organisation";
# an agency's own copy may still hold it.
_BOTH = re.compile(r"您\s*[（(]\s*单位\s*[)）]")

# Sentence punctuation that must not stand twice in a row. Ranked: when several meet, the
# strongest stays (a full stop ends the sentence whatever pause the officer typed before it).
_RANK = {
    "。": 5,
    "？": 5,
    "！": 5,
    "；": 4,
    "：": 3,
    "，": 2,
    "、": 1,
}
# ASCII marks typed by mistake next to a full-width one count as part of the run (".。" → "。"),
# never on their own (3.5, example.com).
_ASCII = {".": "。", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_RUN = re.compile(r"[。？！；：，、.,;:?!](?:[\s\u3000]*[。？！；：，、.,;:?!])+")


def address_word(applicant_type: str) -> str:
    """您 or 贵单位, from the applicant type (taxonomy.ApplicantType)."""
    return PERSON_WORD if applicant_type == ApplicantType.NATURAL_PERSON else ORGANISATION_WORD


def replace_both_forms(text: str, word: str) -> str:
    """“您（单位）” (either-or wording of old templates) replaced by the one word that applies."""
    return _BOTH.sub(word, text)


_EMPTY_FIELD = re.compile(r"[^：]{1,8}：")


def drop_empty_fields(text: str) -> str:
    """“联系地址：　邮政编码：　联系电话：0580-1234567” → “联系电话：0580-1234567”: in a line of
    fields separated by ideographic spaces, a label whose value is empty (an agency that did not
    enter its postcode) is left out."""

    def line(row: str) -> str:
        if "\u3000" not in row:
            return row
        kept = [part for part in row.split("\u3000") if not _EMPTY_FIELD.fullmatch(part)]
        return "\u3000".join(kept)

    return "\n".join(line(row) for row in text.split("\n"))


def tidy_punctuation(text: str) -> str:
    """One mark where several sentence marks meet: 。。 → 。, ，， → ，, ；。 → 。, ：。 → 。, “。，” → 。.

    Only runs holding at least one full-width mark are touched, so decimals, abbreviations and
    addresses in Latin script keep their dots. Line breaks inside a run are kept after the mark
    (a paragraph ending “。” followed by a line starting “。” loses the second mark only).
    """

    def one(match: re.Match) -> str:
        run = match.group(0)
        marks = [c for c in run if c in _RANK or c in _ASCII]
        if not any(c in _RANK for c in marks):
            return run
        full = [_ASCII.get(c, c) for c in marks]
        best = max(full, key=lambda c: _RANK[c])  # first of the strongest
        tail = "".join(c for c in run if c in "\n")
        return best + tail

    # Leave ellipses (……, ...) alone: they are not a doubled mark.
    return _RUN.sub(one, text) if "……" not in text else _tidy_around_ellipsis(text, one)


def _tidy_around_ellipsis(text: str, one) -> str:
    parts = text.split("……")
    return "……".join(_RUN.sub(one, part) for part in parts)
