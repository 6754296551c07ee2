"""Detectors: each type found where it should be, and not in the numbers that look like it."""

from datetime import date

import pytest

from gongkai.privacy import FINDING_LABELS, Finding, scan
from gongkai.privacy.findings import (
    NOTE_ALSO_CREDIT_CODE,
    NOTE_CHECK_DIGIT,
    NOTE_FOREIGN_PR,
    NOTE_PUBLIC_LINE,
    TYPES,
)

ID = "330902198001011233"  # valid check digit
ID_BAD = "330902198001011234"  # same region and birth date, wrong check digit


def found(text: str) -> list[tuple[str, str]]:
    return [(f.type, f.text) for f in scan(text)]


def assert_consistent(text: str, findings: list[Finding]) -> None:
    previous_end = -1
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end, "findings overlap or are out of order"
        assert 0 < f.confidence <= 1
        previous_end = f.end


def test_labels_cover_every_type():
    assert set(FINDING_LABELS) == set(TYPES)
    assert FINDING_LABELS["id_card"] == "身份证号码"


def test_empty_text():
    assert scan("") == []


# --- 18-character ID numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"身份证号：{ID}。",
        f"公民身份号码{ID}",
        f"（{ID}）",
        f"{ID}",
        "当事人身份证号码11010519491231002X，",
        "当事人身份证号码11010519491231002x，",
        f"ID: {ID}\n",
    ],
)
def test_id_card_found(text):
    findings = scan(text)
    assert [f.type for f in findings] == ["id_card"]
    assert findings[0].confidence >= 0.95
    assert findings[0].note == ""
    assert_consistent(text, findings)


def test_failed_check_digit_is_still_flagged_with_a_note():
    (finding,) = scan(f"身份证号：{ID_BAD}")
    assert finding.type == "id_card"
    assert finding.note == NOTE_CHECK_DIGIT == "校验位不符"
    assert finding.confidence < 0.95


@pytest.mark.parametrize(
    "number",
    [
        "330902198013011233",  # month 13
        "330902198002301236",  # 30 February
        "330902189912311231",  # born before 1900
        "330902209901011231",  # born in the future
        "000902198001011233",  # no such province
        "913309198001011233",  # 91: an enterprise credit code prefix, not a province
        "113309198001011233",  # Beijing has no prefecture 33
    ],
)
def test_not_an_id_without_valid_region_and_date(number):
    assert "id_card" not in {kind for kind, _ in found(f"编{number}号")}


@pytest.mark.parametrize(
    "text",
    [
        f"1{ID}",  # inside a longer digit run
        f"{ID}7",
        f"12{ID}34",
        f"A{ID}",
        f"{ID}B",
        f"x_{ID}",
        f"3.{ID}",
    ],
)
def test_id_needs_digit_boundaries(text):
    assert "id_card" not in {kind for kind, _ in found(text)}


def test_credit_code_and_index_number_are_not_ids():
    text = (
        "索引号：11330903002570101X/2026-00001\n"
        "统一社会信用代码：11330903002570101X\n"
        "发布机构：舟山市普陀区人民政府办公室\n"
        "文号：舟普政发〔2018〕12号\n"
        "成文日期：2018-05-12"
    )
    assert scan(text) == []


def test_index_number_with_id_shaped_code_is_not_an_id():
    assert found(f"索引：{ID}/2026-00001") == []


def test_labelled_register_numbers_are_not_ids():
    for label in ("统一社会信用代码：", "订单号：", "流水号", "登记号：", "合同编号：", "案卷号："):
        assert found(f"{label}{ID_BAD}") == [], label


def test_id_shaped_credit_code_is_told_apart_by_its_check_characters():
    # 51 + 110119 (延庆) + org code 19850615-?: reads as region 511101 + birth date 1985-06-15.
    from gongkai.privacy import checks

    body = "51110119" + "85061501"
    body += checks.org_code_check_char(body[8:])
    for serial in range(100):
        candidate = body[:14] + f"{serial:02d}"
        candidate += checks.org_code_check_char(candidate[8:16])
        code = candidate + checks.credit_code_check_char(candidate)
        if code[-1].isdigit() and not checks.id_check_ok(code):
            break
    assert checks.looks_like_credit_code(code)
    assert found(f"（{code}）") == []
    # With a personal label in front it is an ID number with a wrong check digit after all.
    (finding,) = scan(f"身份证号：{code}")
    assert finding.note == NOTE_CHECK_DIGIT


def test_id_passing_both_checks_is_flagged_but_noted():
    from gongkai.privacy import checks

    for serial in range(10_000):
        body = f"51110119850615{serial:04d}"[:16]
        body += checks.org_code_check_char(body[8:16])
        code = body + checks.credit_code_check_char(body)
        if code[-1].isdigit() and checks.id_check_ok(code):
            break
    (finding,) = scan(f"（{code}）")
    assert finding.type == "id_card"
    assert finding.note == NOTE_ALSO_CREDIT_CODE


def test_foreign_permanent_residence_card():
    (finding,) = scan("永居证号码：911840198506150011")
    assert finding.type == "id_card"
    assert finding.note == NOTE_FOREIGN_PR


def test_nine_prefixed_numbers_without_a_valid_check_digit_are_ignored():
    assert found("代码911840198506150012") == []


def test_fullwidth_digits():
    text = "身份证号：３３０９０２１９８００１０１１２３３。"
    (finding,) = scan(text)
    assert finding.type == "id_card"
    assert (
        text[finding.start : finding.end] == finding.text == "３３０９０２１９８００１０１１２３３"
    )


def test_today_can_be_fixed():
    number = "330902202405010002"
    from gongkai.privacy import checks

    number = number[:17] + checks.id_check_char(number[:17])
    assert found(number) == [("id_card", number)]
    assert scan(number, today=date(2024, 4, 30)) == []


# --- 15-digit IDs ---------------------------------------------------------------------------


def test_id_card_15():
    (finding,) = scan("原身份证号码：330902800101123。")
    assert finding.type == "id_card_15"
    assert finding.confidence > 0.8  # a personal label in front
    (bare,) = scan("（330902800101123）")
    assert bare.type == "id_card_15"
    assert bare.confidence < 0.8


@pytest.mark.parametrize("number", ["330902801301123", "000902800101123", "330902800230123"])
def test_id_card_15_needs_region_and_date(number):
    assert found(number) == []


# --- mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("手机：13800008000。", "13800008000"),
        ("电话13800008000联系", "13800008000"),
        ("手机：138-0000-8000", "138-0000-8000"),
        ("手机：138 0000 8000", "138 0000 8000"),
        ("Tel: +86 13800008000", "+86 13800008000"),
        ("+86-138-0000-8000", "+86-138-0000-8000"),
        ("86-13800008000", "86-13800008000"),
        ("8613800008000", "8613800008000"),
        ("0086 13800008000", "0086 13800008000"),
        ("（+86）13800008000", "（+86）13800008000"),
        ("手机：１３８００００８０００", "１３８００００８０００"),
        ("19912345678", "19912345678"),
    ],
)
def test_mobile_found(text, span):
    assert found(text) == [("mobile", span)]


@pytest.mark.parametrize(
    "text",
    [
        "12800008000",  # 12x is not a mobile prefix
        "213800008000",  # longer run
        "138000080001",
        "138-0000-80001",
        "13800008000元",  # an amount
        "13800008000.00",
        "共13800008000 人次",
        "工单号：13800008000",
        "准考证号：13309010123",
        "订单13800008000X",
        "138-0000 8000",  # mixed separators
    ],
)
def test_not_a_mobile(text):
    assert "mobile" not in {kind for kind, _ in found(text)}


# --- landlines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("电话：0580-6012345。", "0580-6012345"),
        ("电话：0571-88888888", "0571-88888888"),
        ("电话：010-88888888", "010-88888888"),
        ("电话：（0580）6012345", "（0580）6012345"),
        ("电话：(0580) 6012345", "(0580) 6012345"),
        ("电话：0580 6012345", "0580 6012345"),
        ("电话：0580-6012345-123", "0580-6012345-123"),
        ("电话：0580-6012345转123", "0580-6012345转123"),
        ("电话：05806012345", "05806012345"),
        ("电话：01088888888", "01088888888"),
    ],
)
def test_landline_found(text, span):
    assert found(text) == [("landline", span)]


@pytest.mark.parametrize(
    "text",
    [
        "电话：6012345",  # no area code
        "电话：88888888",
        "客服热线：400-820-8820",  # public service numbers are not personal data
        "客服热线：4008208820",
        "服务电话：800-810-8888",
        "服务热线：95598，12345",
        "邮编：316100",
        "2024-05-01",
        "0580-1234567",  # a local number does not start with 0 or 1
        "010-1234567",  # Beijing numbers have 8 digits
    ],
)
def test_not_a_landline(text):
    assert "landline" not in {kind for kind, _ in found(text)}


def test_public_office_line_is_flagged_with_a_note():
    (finding,) = scan("咨询电话：0580-3012345")
    assert finding.type == "landline"
    assert finding.note == NOTE_PUBLIC_LINE
    assert finding.confidence <= 0.5


# --- bank cards -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("银行卡号：6222021234567890128", "6222021234567890128"),
        ("卡号6222 0212 3456 7890 128", "6222 0212 3456 7890 128"),
        ("卡号：6214831234567896。", "6214831234567896"),
        ("4367420000123454", "4367420000123454"),
        ("4367-4200-0012-3454", "4367-4200-0012-3454"),
    ],
)
def test_bank_card_found(text, span):
    assert found(text) == [("bank_card", span)]


@pytest.mark.parametrize(
    "text",
    [
        "6222021234567890127",  # Luhn fails
        "1222021234567890122",  # implausible prefix
        "账号：16222021234567890128",  # too long
        "订单号：6222021234567890128",
        "6222 0212 3456 7890-128",  # mixed separators split the number
    ],
)
def test_not_a_bank_card(text):
    assert "bank_card" not in {kind for kind, _ in found(text)}


def test_an_id_number_is_never_a_bank_card():
    # Choose an ID number that happens to pass Luhn too.
    from gongkai.privacy import checks

    for seq in range(1000):
        body = f"33090219800101{seq:03d}"
        number = body + checks.id_check_char(body)
        if number[-1].isdigit() and checks.luhn_ok(number):
            break
    assert checks.luhn_ok(number)
    assert found(number) == [("id_card", number)]


# --- e-mail -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("邮箱：zhangsan@163.com。", "zhangsan@163.com"),
        ("电子邮箱zhang.san_1988@mail.example.gov.cn，", "zhang.san_1988@mail.example.gov.cn"),
        ("13800008000@qq.com", "13800008000@qq.com"),  # one finding, not a mobile inside it
        ("联系：li+si@example.cn", "li+si@example.cn"),
        ("邮箱：wang＠163.com", "wang＠163.com"),
    ],
)
def test_email_found(text, span):
    assert found(text) == [("email", span)]


@pytest.mark.parametrize("text", ["@163.com", "zhang@", "zhang@localhost", "a@b.c", "@"])
def test_not_an_email(text):
    assert found(text) == []


# --- a whole document -----------------------------------------------------------------------


DOCUMENT = f"""行政处罚决定书
舟普市监罚〔2024〕15号
当事人：张三，公民身份号码：{ID}，住址：舟山市普陀区沈家门街道某某路12号，
联系电话：138-0000-8000，电子邮箱：zhangsan@163.com。
经查，当事人于2024年5月1日销售过期食品，货值金额1,380.00元，违法所得13800008000元。
依据有关规定，决定罚款人民币5000元。请于15日内缴至指定账户（开户行：中国农业银行舟山分行）。
委托代理人：欧阳娜娜，电话：（0580）6012345。退款银行卡号：6222 0212 3456 7890 128。
单位：舟山市普陀区市场监督管理局（统一社会信用代码：11330903002570101X）
索引号：11330903002570101X/2026-00001，邮编：316100，监督电话：12345，客服热线400-820-8820。
"""


def test_document():
    findings = scan(DOCUMENT)
    assert_consistent(DOCUMENT, findings)
    assert [(f.type, f.text) for f in findings] == [
        ("person_name", "张三"),
        ("id_card", ID),
        ("mobile", "138-0000-8000"),
        ("email", "zhangsan@163.com"),
        ("person_name", "欧阳娜娜"),
        ("landline", "（0580）6012345"),
        ("bank_card", "6222 0212 3456 7890 128"),
    ]


def test_findings_are_frozen():
    (finding,) = scan(ID)
    with pytest.raises(AttributeError):
        finding.text = "x"  # type: ignore[misc]


def test_overlaps_are_resolved_by_priority():
    # An e-mail address whose local part is a mobile number: one e-mail finding.
    findings = scan("13800008000@139.com 与 13800008001")
    assert [(f.type, f.text) for f in findings] == [
        ("email", "13800008000@139.com"),
        ("mobile", "13800008001"),
    ]
