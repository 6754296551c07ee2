"""Validators for identifiers that carry their own check characters, and the normaliser of
names and file names."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: 31 characters (no I, O, S, V, Z);
# the 18th character is a check character over the first 17 with weights 3^i mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="uscc_length",
            params={"n": len(code)},
        )
    bad = [ch for ch in code if ch not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            _(
                "The unified social credit code contains characters that are not allowed: %(chars)s."
            ),
            code="uscc_charset",
            params={"chars": "".join(dict.fromkeys(bad))},
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of the unified social credit code is wrong (expected %(expected)s)."
            ),
            code="uscc_check",
            params={"expected": expected},
        )


# Characters that change how text around them is shown without being seen themselves:
# bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), direction
# marks (U+200E, U+200F, U+061C), zero-width spaces and joiners (U+200B-U+200D, U+2060-U+2064,
# U+FEFF, U+180E). In a name or a file name they only serve to deceive: "发票\u202egpj.exe" shows
# as 发票exe.jpg. Chinese names and file names never need them.
INVISIBLE_CHARACTERS = re.compile(
    "[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def strip_invisible(value: str) -> str:
    """`value` without bidirectional controls and zero-width characters."""
    return INVISIBLE_CHARACTERS.sub("", value) if value else value
