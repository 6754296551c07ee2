"""The unified social credit code (统一社会信用代码, GB 32100-2015) validator."""

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.models import Agency
from gongkai.core.validators import USCC_ALPHABET, uscc_check_character, validate_uscc

# Codes published on the companies' own licences / the national enterprise credit system.
PUBLISHED = {
    "914403001922038216": "华为技术有限公司",
    "9144030071526726XG": "腾讯科技（深圳）有限公司",
    "91330100799655058B": "阿里巴巴（中国）有限公司",
    "91110000802100433B": "百度在线网络技术（北京）有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
}

# Built from the standard, independently of the module under test: 31 characters (the digits
# and the capital letters without I, O, S, V, Z), weights 3^(i-1) mod 31, check = 31 - sum mod 31.
STANDARD_ALPHABET = "".join(
    ch for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" if ch not in "IOSVZ"
)


def standard_check(first17: str) -> str:
    total = sum(STANDARD_ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return STANDARD_ALPHABET[(31 - total % 31) % 31]


def code_of(error: ValidationError) -> str:
    return error.error_list[0].code


def test_alphabet_is_the_standards():
    assert USCC_ALPHABET == STANDARD_ALPHABET
    assert len(USCC_ALPHABET) == 31


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code):
    assert standard_check(code[:17]) == code[17]  # the test's own oracle agrees
    validate_uscc(code)
    assert uscc_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "first17",
    [
        "11330903000100000",  # 机关, 舟山市普陀区 (the factory's pattern)
        "11100000000013127",
        "12330903MB1234567",
        "51330903MJ9876543",
        "91330903MA2A0B1C1",
        "Y1330903000000001",
        "93330903MA2HKX8T0",
    ],
)
def test_computed_codes_are_valid(first17):
    check = uscc_check_character(first17)
    assert check == standard_check(first17)
    validate_uscc(first17 + check)


def test_check_character_zero_and_letters_are_produced():
    # Walk serial numbers until the check characters cover the whole alphabet, including "0"
    # (sum divisible by 31) and a letter ("Y" is index 30).
    seen = {}
    for n in range(5000):
        first17 = f"91330903MA{n:07d}"
        seen.setdefault(uscc_check_character(first17), first17)
        if len(seen) == 31:
            break
    assert set(seen) == set(STANDARD_ALPHABET)
    for check, first17 in seen.items():
        assert standard_check(first17) == check
        validate_uscc(first17 + check)


@pytest.mark.parametrize(
    "value", ["", "9144030019220382", "91440300192203821", "9144030019220382160", None]
)
def test_wrong_length(value):
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value)
    assert code_of(caught.value) == "uscc_length"
    assert caught.value.error_list[0].params["n"] == len(value or "")


@pytest.mark.parametrize("letter", "IOSVZ")
@pytest.mark.parametrize("position", [0, 9, 17])
def test_forbidden_letters(letter, position):
    valid = "914403001922038216"
    code = valid[:position] + letter + valid[position + 1 :]
    with pytest.raises(ValidationError) as caught:
        validate_uscc(code)
    assert code_of(caught.value) == "uscc_charset"
    assert caught.value.error_list[0].params["chars"] == letter


@pytest.mark.parametrize(
    "value", ["91440300192203821-", "9144030019220382１6", "91440300 922038216"]
)
def test_other_characters_are_refused(value):
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value)
    assert code_of(caught.value) == "uscc_charset"


@pytest.mark.parametrize("code", PUBLISHED)
def test_every_wrong_check_character_is_refused(code):
    for wrong in USCC_ALPHABET.replace(code[17], ""):
        with pytest.raises(ValidationError) as caught:
            validate_uscc(code[:17] + wrong)
        assert code_of(caught.value) == "uscc_check"
        assert caught.value.error_list[0].params["expected"] == code[17]


def test_every_single_character_typo_is_caught():
    # 31 is prime and no weight is 0 mod 31, so one changed character always changes the check.
    valid = "9144030071526726XG"
    for position in range(17):
        for ch in USCC_ALPHABET.replace(valid[position], ""):
            typo = valid[:position] + ch + valid[position + 1 :]
            with pytest.raises(ValidationError) as caught:
                validate_uscc(typo)
            assert code_of(caught.value) == "uscc_check", typo


def test_every_adjacent_swap_is_caught():
    # Adjacent weights differ mod 31, so swapping two different neighbours changes the check.
    valid = "91330100799655058B"
    swaps = 0
    for i in range(16):
        if valid[i] == valid[i + 1]:
            continue
        swapped = valid[:i] + valid[i + 1] + valid[i] + valid[i + 2 :]
        with pytest.raises(ValidationError) as caught:
            validate_uscc(swapped)
        assert code_of(caught.value) == "uscc_check", swapped
        swaps += 1
    assert swaps >= 10


def test_model_field_uses_the_validator():
    field = Agency._meta.get_field("uscc")
    field.run_validators("914403001922038216")
    with pytest.raises(ValidationError) as caught:
        field.run_validators("914403001922038217")
    assert code_of(caught.value) == "uscc_check"
