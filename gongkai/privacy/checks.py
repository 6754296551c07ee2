"""Check digits and field validity for the identifiers the privacy shield looks for.

Plain Python (no Django): GB 11643-1999 citizen identity numbers, Luhn for bank cards and
GB 32100-2015 for 统一社会信用代码, the last one so that a credit code is not taken for an ID.
"""

from datetime import date
from operator import mul

# GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i is 2**(17 - i) mod 11.
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
ID_CHECK_CHARS = "10X98765432"

# Province-level codes used in 公民身份号码 (and in 港澳台居民居住证 numbers: 81, 82, 83).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
# Municipalities have only 市辖区 (01) and 县 (02) at the prefecture level (重庆 also had 03).
MUNICIPALITY_CITIES = {11: {1, 2}, 12: {1, 2}, 31: {1, 2}, 50: {1, 2, 3}}
# 港澳台居民居住证 numbers start 810000 / 820000 / 830000.
SAR_PROVINCES = frozenset({81, 82, 83})

# GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3**i mod 31.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_VALUES = {c: i for i, c in enumerate(CREDIT_CHARS)}
CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def id_check_char(body: str) -> str:
    """The check character for the 17 leading digits of an 18-character ID number."""
    return ID_CHECK_CHARS[sum(map(mul, map(int, body), ID_WEIGHTS)) % 11]


def id_check_ok(number: str) -> bool:
    return len(number) == 18 and id_check_char(number[:17]) == number[17].upper()


def region_ok(prefix: str) -> bool:
    """Whether the 6-digit address code is plausible: a province and a prefecture within it.

    The prefecture test is deliberately loose (01–70, or 90 for 省直辖县级行政区划) because
    numbers issued under since-abolished codes stay valid for life.
    """
    province, city = int(prefix[:2]), int(prefix[2:4])
    if province not in PROVINCES:
        return False
    if province in MUNICIPALITY_CITIES:
        return city in MUNICIPALITY_CITIES[province]
    if province in SAR_PROVINCES:
        return prefix[2:] == "0000"
    if province == 71:
        return True
    return 1 <= city <= 70 or city == 90


def date_ok(year: int, month: int, day: int, today: date) -> bool:
    """A real calendar date from 1900-01-01 up to today."""
    if year < 1900 or not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day > (29 if month == 2 and leap else _DAYS_IN_MONTH[month]):
        return False
    return (year, month, day) <= (today.year, today.month, today.day)


def birth_date_ok(number: str, today: date) -> bool:
    """The birth date of an 18-character (YYYYMMDD at 7–14) or 15-digit (YYMMDD) ID number."""
    if len(number) == 18:
        return date_ok(int(number[6:10]), int(number[10:12]), int(number[12:14]), today)
    return date_ok(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), today)


_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_ok(digits: str) -> bool:
    kept = sum(map(int, digits[-1::-2]))
    doubled = sum(map(_LUHN_DOUBLED.__getitem__, map(int, digits[-2::-2])))
    return (kept + doubled) % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body` + digit pass Luhn."""
    for d in "0123456789":
        if luhn_ok(body + d):
            return d
    raise AssertionError("unreachable")  # pragma: no cover


ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code_check_char(body: str) -> str:
    total = sum(map(mul, map(CREDIT_VALUES.__getitem__, body), CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """GB 11714 check character of the 8-character body of a 组织机构代码 (digits, A–Z)."""
    check = 11 - sum(int(c, 36) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_ok(code: str) -> bool:
    """Whether `code` is a well-formed 统一社会信用代码 (GB 32100-2015 check character)."""
    code = code.upper()
    if len(code) != 18 or any(c not in CREDIT_VALUES for c in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def looks_like_credit_code(code: str) -> bool:
    """Both check characters of a 统一社会信用代码 hold: its own (18th) and that of the
    embedded 组织机构代码 (9th–17th). A mistyped ID number passes both about once in 341."""
    return credit_code_ok(code) and org_code_check_char(code[8:16].upper()) == code[16].upper()
