"""Check digits and field validity, against worked examples and independent computations."""

from datetime import date

import pytest

from gongkai.privacy import checks

TODAY = date(2026, 6, 1)


def reference_id_check(body: str) -> str:
    """GB 11643-1999 written out the long way: weights 2^(17-i) mod 11, "10X98765432"."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = 0
    for digit, weight in zip(body, weights, strict=True):
        total += int(digit) * weight
    return "10X98765432"[total % 11]


def reference_credit_check(body: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weight, total = 1, 0
    for char in body:
        total += alphabet.index(char) * weight
        weight = weight * 3 % 31
    return alphabet[(31 - total % 31) % 31]


def test_id_weights_are_the_standard_ones():
    assert checks.ID_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "330902198001011233", "330903197512310042", "440305200002290037"],
)
def test_valid_id_check_digits(number):
    assert checks.id_check_ok(number)
    assert checks.id_check_char(number[:17]) == reference_id_check(number[:17]) == number[17]


def test_lowercase_x_is_accepted():
    assert checks.id_check_ok("11010519491231002x")


@pytest.mark.parametrize("last", "0123456789")
def test_wrong_check_digit_fails(last):
    assert not checks.id_check_ok("11010519491231002" + last)


@pytest.mark.parametrize(
    ("prefix", "ok"),
    [
        ("110105", True),  # 北京 朝阳
        ("110229", True),  # 北京 县 (02), abolished but still on IDs
        ("113309", False),  # 11 + 3309: a 机关 credit code, not a Beijing prefecture
        ("123302", False),
        ("330902", True),
        ("429004", True),  # 湖北 省直辖县级 (90)
        ("469001", True),
        ("500229", True),
        ("810000", True),  # 港澳台居民居住证
        ("810101", False),
        ("710100", True),
        ("913309", False),  # 91: enterprise credit codes, not a province
        ("103309", False),
        ("163309", False),
        ("553309", False),
        ("337102", False),  # prefecture 71 does not exist
        ("330002", False),
    ],
)
def test_region(prefix, ok):
    assert checks.region_ok(prefix) is ok


@pytest.mark.parametrize(
    ("ymd", "ok"),
    [
        ((2000, 2, 29), True),
        ((2024, 2, 29), True),
        ((1900, 2, 29), False),
        ((2023, 2, 29), False),
        ((1980, 4, 31), False),
        ((1980, 13, 1), False),
        ((1980, 0, 10), False),
        ((1980, 1, 0), False),
        ((1899, 12, 31), False),
        ((1900, 1, 1), True),
        ((2026, 6, 1), True),  # today
        ((2026, 6, 2), False),  # tomorrow
    ],
)
def test_dates(ymd, ok):
    assert checks.date_ok(*ymd, TODAY) is ok


def test_birth_date_of_15_digit_numbers_is_in_the_1900s():
    assert checks.birth_date_ok("330902800101123", TODAY)
    assert not checks.birth_date_ok("330902800230123", TODAY)


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("6222021234567890128", True),
        ("6222021234567890127", False),
        ("79927398713", True),
    ],
)
def test_luhn(number, ok):
    assert checks.luhn_ok(number) is ok


def test_luhn_check_digit_completes_a_number():
    assert checks.luhn_check_digit("622202123456789012") == "8"


@pytest.mark.parametrize("body", ["91330903MA2A1B2C3", "11330903002570101", "52110101364262124"])
def test_credit_code_check_matches_the_long_way(body):
    check = checks.credit_code_check_char(body)
    assert check == reference_credit_check(body)
    assert checks.credit_code_ok(body + check)
    wrong = "0" if check != "0" else "1"
    assert not checks.credit_code_ok(body + wrong)


def test_org_code_check_of_a_worked_example():
    # 组织机构代码 D2143569-?: values 13,2,1,4,3,5,6,9 weighted 3,7,9,10,5,8,4,2 sum to 199;
    # 11 - 199 mod 11 = 10, written X.
    assert checks.org_code_check_char("D2143569") == "X"
    assert checks.org_code_check_char("12345678") == str(
        11 - (3 + 14 + 27 + 40 + 25 + 48 + 28 + 16) % 11
    )


def test_looks_like_credit_code_needs_both_check_characters():
    body = "52110101" + "36426212"
    org = body[8:] + checks.org_code_check_char(body[8:])
    code = body[:8] + org
    code += checks.credit_code_check_char(code)
    assert checks.looks_like_credit_code(code)
    broken_org = code[:16] + ("0" if code[16] != "0" else "1")
    broken_org += checks.credit_code_check_char(broken_org)
    assert checks.credit_code_ok(broken_org)
    assert not checks.looks_like_credit_code(broken_org)
