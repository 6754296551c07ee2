"""Find personal data in Chinese administrative text: `scan(text) -> list[Finding]`.

Plain Python (no Django). One regular-expression pass per family of identifiers, then cheap
checks on each candidate: check digits, region and birth date, the label in front of the number
("统一社会信用代码：" or "订单号：" veto it) and the unit after it ("元", "人" …). Candidates that
overlap are settled by priority (e-mail, 18-character ID, 15-digit ID, bank card, mobile,
landline, name), and what is left is returned sorted by start.
"""

import re
from bisect import bisect_left, insort
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import pairwise

from gongkai.privacy import anchors, checks, name_scorer, names, office_lines
from gongkai.privacy.findings import (
    BANK_CARD,
    EMAIL,
    ID_CARD,
    ID_CARD_15,
    LANDLINE,
    MOBILE,
    NOTE_ALSO_CREDIT_CODE,
    NOTE_CHECK_DIGIT,
    NOTE_FOREIGN_PR,
    NOTE_PUBLIC_LINE,
    PERSON_NAME,
    Finding,
)
from gongkai.privacy.name_filters import drop_brands, drop_heads, drop_made_up, drop_things, keep
from gongkai.privacy.scanning import OneOf
from gongkai.privacy.traditional import simplified

CHINA_TZ = timezone(timedelta(hours=8), "CST")

PRIORITY = {
    EMAIL: 7,
    ID_CARD: 6,
    ID_CARD_15: 5,
    BANK_CARD: 4,
    MOBILE: 3,
    LANDLINE: 2,
    PERSON_NAME: 1,
}

# Full-width digits and signs are read as ASCII; the mapping is one code point to one, so the
# offsets into the normalised copy are offsets into the original text.
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ＋－＠", "0123456789Xx+-@")
_FULLWIDTH_ANY = re.compile("[\uff0b\uff0d\uff10-\uff19\uff20\uff38\uff58]")
# (looked for by the one anchor scan of `anchors`; _FULLWIDTH_ANY is the plain form)
_FULLWIDTH_CHARS = "０１２３４５６７８９Ｘｘ＋－＠"
anchors.register("fullwidth", _FULLWIDTH_CHARS)
_FULLWIDTH_RUN = re.compile("[\uff0b\uff0d\uff10-\uff19\uff20\uff38\uff58]+")

# Digit boundaries. The left one is written after the first character of each pattern
# (`[1-9]` + _AFTER_FIRST) rather than before it: a pattern that starts with a character class
# lets the regex engine skip ahead to candidates, one that starts with an assertion does not.
_AFTER_FIRST = r"(?<![0-9A-Za-z_].)(?<![0-9]\..)"
_RIGHT = r"(?![0-9A-Za-z_])(?![.][0-9])"

# Contiguous digit runs of 10–19 digits (an ID may end in X), classified by length in Python:
# one pass for 18/15-character IDs, bank cards and unseparated mobiles and landlines.
_DIGIT_RUN = re.compile(r"[0-9]" + _AFTER_FIRST + r"[0-9]{9,18}[Xx]?" + _RIGHT)
# The separated forms, one pass each: 138-0000-8000 / 138 0000 8000, 6222 0212 3456 7890 123,
# 0580-6012345 / （0580）6012345 / 010 88888888-123.
_MOBILE_SEP = re.compile(r"1[3-9][0-9](?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}" + _RIGHT)
_BANK_GROUPED = re.compile(
    r"[2-9]" + _AFTER_FIRST + r"[0-9]{3}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}"
    r"(?:(?P=sep)?[0-9]{1,3})?" + _RIGHT
)
# What both hold, searched first: two groups of four digits after a blank or a hyphen (the
# two patterns start at a digit, where digit-heavy text makes the engine try them often).
_TWO_GROUPS = OneOf(" -", "[0-9]{4}[ -][0-9]{4}")  # "[ -][0-9]{4}[ -][0-9]{4}"
_EXT = r"(?:(?:-|转|分机|ext\.?|EXT\.?) ?[0-9]{1,5})?"
_LANDLINE_SEP = re.compile(
    r"[0（(](?:(?<=0)" + _AFTER_FIRST + r"(?:(?:10|2[0-9])[- —][2-9][0-9]{7}"
    r"|[3-9][0-9]{2}[- —][2-9][0-9]{6,7})"
    r"|(?<=[（(]) ?0(?:(?:10|2[0-9]) ?[）)] ?[2-9][0-9]{7}|[3-9][0-9]{2} ?[）)] ?[2-9][0-9]{6,7}))"
    + _EXT
    + _RIGHT
)
# What every separated landline holds, searched first (the pattern above is tried at every 0,
# frequent in dates and amounts): a separator or a closing bracket, then the local number.
_LOCAL_AFTER_SEP = re.compile(r"[- —）)] ?[2-9][0-9]{6}")
# A country prefix ("+86 ", "0086-", "86", "（+86）") is looked for behind a mobile number.
_CC_TAIL = re.compile(r"(?:(?:\+|00)86|86|[（(]\+?86[）)])[ -]?\Z")
# E-mail: found from each "@" (rare in administrative text) outwards.
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)
# A count or an amount: "13800008000元" is 138亿 yuan, not a phone number.
_UNIT_AFTER = re.compile(
    r" ?(?:元|万|亿|美元|人次|次|个|件|吨|平方|米|公里|千克|份|张|册|台|辆|亩|股|%|％|㎡|kg|km)"
)
_INDEX_AFTER = re.compile(r"/[0-9]")  # 索引号: {统一社会信用代码}/{YYYY}-{NNNNN}

# Labels in front of a number. A number whose nearest label names a register, a code or an
# amount is not personal data; one whose label names a person's number is more likely to be.
_NOT_PERSONAL = (
    "统一社会信用代码", "社会信用代码", "信用代码", "组织机构代码", "机构代码", "纳税人识别号",
    "税务登记号", "税号", "注册号", "营业执照号", "执照号", "索引号", "文号", "编号", "单号",
    "流水号", "交易号", "序列号", "序号", "批号", "条码", "条形码", "案号", "票号", "发票号码",
    "发票代码", "邮编", "邮政编码", "统一编号", "编码", "代码", "识别码", "校验码", "备案号",
    "登记号", "许可证号", "证书号", "IMEI", "imei", "NO.", "No.", "No:", "NO:", "金额", "资金",
    "价款", "预算", "限价", "报价", "合同价", "中标价", "成交价", "总价", "标段号", "项目号",
)  # fmt: skip
_PERSONAL = (
    "公民身份号码", "身份证号码", "身份证号", "身份证", "身份号码", "证件号码", "证件号",
    "证件编号", "身份证编号", "永居证", "居留证", "护照", "手机号码", "手机号", "手机",
    "联系电话", "电话", "联系方式", "银行卡号", "银行卡", "卡号", "银行账号", "开户账号",
    "收款账号", "账号", "帐号", "社保卡号",
)  # fmt: skip
_PUBLIC_LINE = (
    "咨询电话", "监督电话", "投诉电话", "举报电话", "办公电话", "值班电话", "服务电话", "热线",
    "传真", "受理电话", "办公室电话", "联系电话（办公）",
)  # fmt: skip
_LABEL_KIND = {
    **dict.fromkeys(_NOT_PERSONAL, "not"),
    **dict.fromkeys(_PERSONAL, "personal"),
    **dict.fromkeys(_PUBLIC_LINE, "public"),
}
_LABEL_RE = re.compile("|".join(re.escape(k) for k in sorted(_LABEL_KIND, key=len, reverse=True)))
_LABEL_WINDOW = 16
_GAP_BREAK = re.compile(r"[，。；;,、！？!?\n]|[0-9]{3}")
# Any other register number: "准考证号：", "案卷号：", "批次号 " (a word ending in 号 or 码,
# but not in 号码: "护照号码" may be personal).
_NUMBER_WORD_BEFORE = re.compile(
    r"[\u4e00-\u9fff]{1,7}(?:号|(?<!号)码)[ \t\u3000]*[：:]?[ \t\u3000]*\Z"
)

Candidate = tuple[int, int, str, float, str]  # start, end, type, confidence, note


def today_in_china() -> date:
    return datetime.now(CHINA_TZ).date()


def _label_before(work: str, start: int) -> str | None:
    """'not', 'personal' or 'public' for the nearest label shortly before `start`, or None."""
    lo = max(0, start - _LABEL_WINDOW)
    labels = list(_LABEL_RE.finditer(work, lo, start))
    # A label belongs to this number unless a clause break or another number comes between:
    # in "邮编316100）330902…" the 邮编 is not the ID number's label.
    if labels and not _GAP_BREAK.search(work, labels[-1].end(), start):
        return _LABEL_KIND[labels[-1].group()]
    return "not" if _NUMBER_WORD_BEFORE.search(work, lo, start) else None


def _vetoed(work: str, start: int, end: int) -> str | None:
    """'veto' if the number at [start, end) is not personal data, else the label kind or None."""
    kind = _label_before(work, start)
    if kind == "not" or (kind != "personal" and _UNIT_AFTER.match(work, end)):
        return "veto"
    return kind


def _boundary_before(work: str, pos: int) -> bool:
    if pos == 0:
        return True
    before = work[pos - 1]
    if before.isascii() and (before.isalnum() or before == "_"):
        return False
    return not (before == "." and pos >= 2 and work[pos - 2].isdigit())


def _id18(work: str, start: int, end: int, today: date, out: list[Candidate]) -> bool:
    """Add an 18-character ID number at [start, end) if it is one; True if it reads as one."""
    number = work[start:end]
    if number[0] == "9":
        # 外国人永久居留身份证 (2023): 9, province, nationality, birth date, serial, MOD 11-2.
        # Enterprise 统一社会信用代码 start with 91, 92, 93 too, so only a number that passes
        # the ID check and not the credit-code checks is taken.
        if not (
            int(number[1:3]) in checks.PROVINCES
            and checks.birth_date_ok(number, today)
            and checks.id_check_ok(number)
            and not checks.looks_like_credit_code(number)
        ):
            return False
    elif not checks.region_ok(number[:6]) or not checks.birth_date_ok(number, today):
        return False
    if _INDEX_AFTER.match(work, end):
        return True  # 索引号 {统一社会信用代码}/{YYYY}-{NNNNN}
    label = _vetoed(work, start, end)
    if label == "veto":
        return True
    if number[0] == "9":
        confidence, note = 0.9, NOTE_FOREIGN_PR
    elif checks.id_check_ok(number):
        confidence, note = 0.99, ""
        if label != "personal" and checks.looks_like_credit_code(number):
            # Both readings check out; an ID is the likelier (and the safer) one.
            confidence, note = 0.6, NOTE_ALSO_CREDIT_CODE
    elif label != "personal" and checks.looks_like_credit_code(number):
        return True  # a 统一社会信用代码 whose digits happen to read as region + birth date
    else:
        confidence, note = 0.75, NOTE_CHECK_DIGIT  # RULES A.7: still personal data
    out.append((start, end, ID_CARD, confidence, note))
    return True


def _id15(work: str, start: int, end: int, today: date, out: list[Candidate]) -> None:
    number = work[start:end]
    if not checks.region_ok(number[:6]) or not checks.birth_date_ok(number, today):
        return
    label = _vetoed(work, start, end)
    if label != "veto":
        out.append((start, end, ID_CARD_15, 0.9 if label == "personal" else 0.6, ""))


def _bank_prefix_ok(digits: str) -> bool:
    if digits[0] in "3456" or digits.startswith("95"):
        return True
    return 2221 <= int(digits[:4]) <= 2720  # Mastercard 2-series


def _bank_card(work: str, start: int, end: int, digits: str, out: list[Candidate]) -> None:
    if not _bank_prefix_ok(digits) or not checks.luhn_ok(digits):
        return
    if len(digits) == 18 and (
        checks.region_ok(digits[:6]) or checks.looks_like_credit_code(digits)
    ):
        return  # reads as an ID number (even with an impossible date) or as a credit code
    label = _vetoed(work, start, end)
    if label != "veto":
        out.append((start, end, BANK_CARD, 0.97 if label == "personal" else 0.9, ""))


def _mobile(work: str, start: int, end: int, out: list[Candidate]) -> None:
    """A mobile number whose 11 digits start at `start`, with any country prefix behind it."""
    window = work[max(0, start - 7) : start]
    cc = _CC_TAIL.search(window) if window else None
    if cc is not None and _boundary_before(work, start - (len(window) - cc.start())):
        start -= len(window) - cc.start()
    elif not _boundary_before(work, start):
        return
    if _vetoed(work, start, end) != "veto":
        out.append((start, end, MOBILE, 0.95, ""))


def _landline(work: str, start: int, end: int, out: list[Candidate], *, separated: bool) -> None:
    label = _vetoed(work, start, end)
    if label == "veto":
        return
    if label == "public":
        out.append((start, end, LANDLINE, 0.5, NOTE_PUBLIC_LINE))
    else:
        out.append((start, end, LANDLINE, 0.85 if separated or label else 0.7, ""))


def _contiguous_landline_ok(run: str) -> bool:
    """0 + area code + local number, without separators: 01088888888, 05806012345."""
    if run[1] in "12":
        return (run[1:3] == "10" or run[1] == "2") and len(run) == 11 and run[3] in "23456789"
    return run[1] in "3456789" and len(run) in (11, 12) and run[4] in "23456789"


def _scan_digits(work: str, today: date | None, out: list[Candidate]) -> None:
    for m in _DIGIT_RUN.finditer(work):
        start, end = m.span()
        run = m.group()
        n = len(run)
        if today is None and (n == 18 or n == 15):
            today = today_in_china()  # read once, and only where an ID number may stand
        if run[-1] in "Xx":
            if n == 18:
                _id18(work, start, end, today, out)
        elif n == 18:
            if not _id18(work, start, end, today, out):
                _bank_card(work, start, end, run, out)
        elif n == 15:
            _id15(work, start, end, today, out)
        elif n >= 16:
            _bank_card(work, start, end, run, out)
        elif n == 11 and run[0] == "1" and run[1] in "3456789":
            _mobile(work, start, end, out)
        elif n == 13 and run.startswith("86") and run[2] == "1" and run[3] in "3456789":
            _mobile(work, start, end, out)  # 8613800008000
        elif run[0] == "0" and _contiguous_landline_ok(run):
            _landline(work, start, end, out, separated=False)


def _scan_separated(work: str, out: list[Candidate]) -> None:
    if _TWO_GROUPS.search(work) is not None:
        for m in _MOBILE_SEP.finditer(work):
            _mobile(work, m.start(), m.end(), out)
        for m in _BANK_GROUPED.finditer(work):
            digits = m.group().replace(m.group("sep"), "")
            if 16 <= len(digits) <= 19:
                _bank_card(work, m.start(), m.end(), digits, out)
    if _LOCAL_AFTER_SEP.search(work) is None:
        return
    for m in _LANDLINE_SEP.finditer(work):
        if work[m.start()] in "（(" and not _boundary_before(work, m.start()):
            continue
        _landline(work, m.start(), m.end(), out, separated=True)


def _scan_emails(work: str, out: list[Candidate]) -> None:
    at = work.find("@")
    while at >= 0:
        local = _EMAIL_LOCAL.search(work, max(0, at - 64), at) if at else None
        domain = _EMAIL_DOMAIN.match(work, at + 1)
        if local is not None and domain is not None:
            start = local.start()
            while start < at and not work[start].isalnum():
                start += 1  # the local part starts with a letter or a digit
            if start < at:
                out.append((start, domain.end(), EMAIL, 0.95, ""))
        at = work.find("@", at + 1)


# Numbers a name may stand right before ("张三，身份证号码：330…", "李四\t139…").
_ANCHOR_TYPES = frozenset({ID_CARD, ID_CARD_15, MOBILE, BANK_CARD, LANDLINE})


# A pinyin gloss that mirror sites print after a character: "累計(jì)收到", "環(huán)境".
# (the bracket first, the character before it in a lookbehind: a pattern that opens with a
# lookbehind is tried at every position of the text, one that opens with a literal is not)
_GLOSS = re.compile(r"\((?<=[\u3400-\u9fff]\()[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")


def _scan_names(work: str, out: list[Candidate], known: names.KnownNames | None) -> None:
    anchors = sorted(c[0] for c in out if c[2] in _ANCHOR_TYPES and c[4] != NOTE_PUBLIC_LINE)
    known_found = known.find(work) if known else []
    # traditional script (陳/記者) read as simplified: same length, so the offsets hold
    plain = simplified(work)
    if "(" in plain and _GLOSS.search(plain):
        found = _glossed_names(plain, anchors, known_found)
    else:
        found = _names_in(plain, anchors, known_found)
    for start, end, confidence in found + known_found:
        out.append((start, end, PERSON_NAME, confidence, ""))


def _names_in(plain: str, anchors: list[int], known_found: list) -> list[tuple[int, int, float]]:
    found = keep(plain, names.find_names(plain, anchors=anchors))
    # names with no rule around them, scored (a learned model; see name_scorer)
    taken = [(start, end) for start, end, _ in found + known_found]
    found += keep(plain, name_scorer.find(plain, taken))
    if "\t" in plain:  # a column of names with no header that says so
        found += keep(plain, names.table_columns(plain, found))
    # a crop or a product the text names a dozen times (杨梅园): not the names it knows
    return drop_made_up(plain, drop_brands(plain, drop_heads(plain, drop_things(plain, found))))


def _glossed_names(plain: str, anchors: list[int], known_found: list) -> list:
    """The names of a text with pinyin glosses, read with the glosses taken out ("徐健匯(huì)款"
    reads "徐健匯款"), their offsets put back on the text as printed."""
    kept: list[int] = []  # compact position -> position in the text
    at = 0
    for gloss in _GLOSS.finditer(plain):
        kept.extend(range(at, gloss.start()))
        at = gloss.end()
    kept.extend(range(at, len(plain)))
    compact = "".join(plain[i] for i in kept)
    where = {position: i for i, position in enumerate(kept)}
    compact_anchors = [where[a] for a in anchors if a in where]
    compact_known = [
        (where[s], where[e - 1] + 1, c) for s, e, c in known_found if s in where and e - 1 in where
    ]
    return [
        (kept[start], kept[end - 1] + 1, confidence)
        for start, end, confidence in _names_in(compact, compact_anchors, compact_known)
    ]


@lru_cache(maxsize=64)
def _known_matcher(known: frozenset[str]) -> names.KnownNames:
    return names.KnownNames(known)


def known_names_matcher(
    known_names: Iterable[str] | names.KnownNames | None,
) -> names.KnownNames | None:
    """A matcher for `scan(known_names=…)`: built once per distinct set of names."""
    if known_names is None or isinstance(known_names, names.KnownNames):
        return known_names
    return _known_matcher(frozenset(n for n in known_names if n))


_new = object.__new__


def _finding(text: str, start: int, end: int, kind: str, confidence: float, note: str) -> Finding:
    """Finding(kind, start, end, text[start:end], confidence, note), built as the frozen
    dataclass's __init__ builds it but without its six object.__setattr__ calls (a third of
    the time of settling a snippet's candidates)."""
    finding = _new(Finding)
    fields = finding.__dict__
    fields["type"] = kind
    fields["start"] = start
    fields["end"] = end
    fields["text"] = text[start:end]
    fields["confidence"] = confidence
    fields["note"] = note
    return finding


def _resolve(text: str, candidates: list[Candidate]) -> list[Finding]:
    """Keep the highest-priority (then longest, then leftmost) of overlapping candidates."""
    ordered = sorted(candidates)
    if all(a[1] <= b[0] and a[0] < a[1] for a, b in pairwise(ordered)):
        # Nothing overlaps (the usual case): every candidate is kept, in this order.
        return [_finding(text, *candidate) for candidate in ordered]
    candidates.sort(key=lambda c: (-PRIORITY[c[2]], c[0] - c[1], c[0]))
    if all(c[0] < c[1] for c in candidates):
        # Spans of one character or more: a candidate overlaps a kept one exactly when one of
        # its characters is marked (kept spans never overlap). One byte per character, where
        # the sorted list of starts below shifts the list at each span kept: quadratic on a
        # long text (about a tenth of `scan` on the bench corpus joined into one text).
        used = bytearray(len(text))
        kept = []
        for cand in candidates:
            start, end = cand[0], cand[1]
            if used.find(1, start, end) < 0:
                used[start:end] = b"\x01" * (end - start)
                kept.append(cand)
        kept.sort()
        return [_finding(text, *candidate) for candidate in kept]
    starts: list[int] = []
    ends: dict[int, int] = {}
    kept: list[Candidate] = []
    for cand in candidates:
        start, end = cand[0], cand[1]
        i = bisect_left(starts, start)
        if i < len(starts) and starts[i] < end:
            continue
        if i > 0 and ends[starts[i - 1]] > start:
            continue
        insort(starts, start)
        ends[start] = end
        kept.append(cand)
    kept.sort()
    return [_finding(text, *candidate) for candidate in kept]


def scan(
    text: str,
    *,
    today: date | None = None,
    known_names: Iterable[str] | names.KnownNames | None = None,
) -> list[Finding]:
    """Personal data in `text`, sorted by start and non-overlapping.

    `known_names`: full names the system already knows (an applicant, staff, people in the
    agency's records), found verbatim anywhere in the text."""
    if not text:
        return []
    try:
        return _scan(text, today, known_names)
    finally:
        anchors.forget()


def _scan(
    text: str, today: date | None, known_names: Iterable[str] | names.KnownNames | None
) -> list[Finding]:
    work = text
    if anchors.occurrences(text, "fullwidth"):  # _FULLWIDTH_ANY.search(text)
        work = _FULLWIDTH_RUN.sub(lambda m: m.group().translate(_FULLWIDTH), text)
        # the names are read from `work`: the words found in `text` are where they were
        anchors.carry(text, work, _FULLWIDTH_CHARS + "0123456789Xx+-@")
    candidates: list[Candidate] = []
    _scan_digits(work, today, candidates)
    _scan_separated(work, candidates)
    _scan_emails(work, candidates)
    _scan_names(work, candidates, known_names_matcher(known_names))
    # which fixed lines, mailboxes and mobiles are an office's: notes only (office_lines)
    office_lines.mark(work, candidates)
    return _resolve(text, candidates)
