"""Deterministic masks for personal data: `mask(text)` and `mask_value(type, text)`. Plain Python.

| type        | example in             | masked                  |
|-------------|------------------------|-------------------------|
| id_card     | 330902198001011233     | 330902********1233      |
| id_card_15  | 330902800101123        | 330902******123         |
| mobile      | +86 138-0000-8000      | +86 138****8000         |
| landline    | （0580）6012345-12     | （0580）****345-12      |
| bank_card   | 6222 0212 3456 7890    | 622202******7890        |
| email       | zhangsan@example.cn    | z***@example.cn         |
| person_name | 张三 / 张小明 / 欧阳娜娜 | 张* / 张*明 / 欧阳*娜     |

Mobile numbers and bank cards are normalised (separators dropped; a mobile's country prefix is
kept as written); landlines keep their area code, punctuation and extension.
"""

import re

from gongkai.privacy import names
from gongkai.privacy.detect import scan
from gongkai.privacy.findings import (
    BANK_CARD,
    EMAIL,
    ID_CARD,
    ID_CARD_15,
    LANDLINE,
    MOBILE,
    PERSON_NAME,
    Finding,
)

MASK = "*"
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ＋－＠", "0123456789Xx+-@")
_LANDLINE_PARTS = re.compile(
    r"(?P<head>[（(]? ?0(?:10|2[0-9]|[3-9][0-9]{2}) ?[）)]? ?[- —]?)(?P<local>[0-9]+)(?P<tail>.*)",
    re.DOTALL,
)


def _keep(value: str, head: int, tail: int) -> str:
    if len(value) < head + tail + 4:
        # Too short for the usual shape (a passport number shown as an ID): a quarter at most
        # stays visible at each end, so that most of it is always hidden.
        head = tail = len(value) // 4
    hidden = len(value) - head - tail
    return value[:head] + MASK * hidden + (value[len(value) - tail :] if tail else "")


def _mask_mobile(value: str) -> str:
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if len(digits) < 11:
        return MASK * len(value)
    first = digits[-11]
    number = "".join(value[i] for i in digits[-11:])
    return value[:first] + number[:3] + MASK * 4 + number[-4:]


def _mask_landline(value: str) -> str:
    m = _LANDLINE_PARTS.fullmatch(value)
    if m is None:
        digits = "".join(c for c in value if c.isdigit())
        return _keep(digits, 0, 3)
    local = m.group("local")
    return m.group("head") + _keep(local, 0, 3) + m.group("tail")


def _mask_email(value: str) -> str:
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return MASK * len(value)
    return local[0] + MASK * 3 + "@" + domain


def _mask_name(value: str) -> str:
    surname = max(names.surname_length(value), 1)
    if len(value) <= surname:
        return MASK * len(value)
    given = len(value) - surname
    if given == 1:
        return value[:surname] + MASK
    return value[:surname] + MASK * (given - 1) + value[-1]


def mask_value(kind: str, value: str) -> str:
    """The mask of one finding's text."""
    value = value.translate(_FULLWIDTH)
    if kind == ID_CARD:
        return _keep(value, 6, 4)
    if kind == ID_CARD_15:
        return _keep(value, 6, 3)
    if kind == MOBILE:
        return _mask_mobile(value)
    if kind == LANDLINE:
        return _mask_landline(value)
    if kind == BANK_CARD:
        return _keep("".join(c for c in value if c.isdigit()), 6, 4)
    if kind == EMAIL:
        return _mask_email(value)
    if kind == PERSON_NAME:
        return _mask_name(value)
    return MASK * len(value)


def mask(text: str, findings: list[Finding] | None = None) -> str:
    """`text` with each finding replaced by its mask (the scanned findings if none are given).

    Findings must come from this very text (text[start:end] == finding.text, else ValueError);
    of overlapping findings the one that starts first is applied.
    """
    if findings is None:
        findings = scan(text)
    pieces: list[str] = []
    pos = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < pos:
            continue
        if text[finding.start : finding.end] != finding.text:
            raise ValueError(
                f"finding {finding.type} at {finding.start}:{finding.end} does not match the text"
            )
        pieces.append(text[pos : finding.start])
        pieces.append(finding.masked())
        pos = finding.end
    pieces.append(text[pos:])
    return "".join(pieces)
