"""Masks: formats per type, mask() over a text, and nothing left to find afterwards."""

import pytest

from gongkai.privacy import Finding, mask, mask_value, scan


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("id_card", "330902198001011233", "330902********1233"),
        ("id_card", "11010519491231002X", "110105********002X"),
        ("id_card", "３３０９０２１９８００１０１１２３３", "330902********1233"),
        ("id_card_15", "330902800101123", "330902******123"),
        ("mobile", "13800008000", "138****8000"),
        ("mobile", "138-0000-8000", "138****8000"),
        ("mobile", "138 0000 8000", "138****8000"),
        ("mobile", "+86 13800008000", "+86 138****8000"),
        ("mobile", "（+86）138-0000-8000", "（+86）138****8000"),
        ("mobile", "8613800008000", "86138****8000"),
        ("landline", "0580-6012345", "0580-****345"),
        ("landline", "010-88888888", "010-*****888"),
        ("landline", "（0580）6012345", "（0580）****345"),
        ("landline", "05806012345", "0580****345"),
        ("landline", "0580-6012345-123", "0580-****345-123"),
        ("bank_card", "6222021234567890128", "622202*********0128"),
        ("bank_card", "6222 0212 3456 7890 128", "622202*********0128"),
        ("bank_card", "4367420000123454", "436742******3454"),
        ("email", "zhangsan@163.com", "z***@163.com"),
        ("email", "a@example.cn", "a***@example.cn"),
        ("person_name", "张三", "张*"),
        ("person_name", "张小明", "张*明"),
        ("person_name", "张小小明", "张**明"),
        ("person_name", "欧阳娜", "欧阳*"),
        ("person_name", "欧阳娜娜", "欧阳*娜"),
        ("person_name", "欧阳", "欧*"),
    ],
)
def test_mask_value(kind, value, masked):
    assert mask_value(kind, value) == masked


def test_masks_keep_the_length_of_id_numbers():
    assert len(mask_value("id_card", "330902198001011233")) == 18
    assert len(mask_value("id_card_15", "330902800101123")) == 15


def test_unknown_type_is_masked_entirely():
    assert mask_value("passport", "E12345678") == "*********"


def test_finding_masked():
    finding = Finding("mobile", 3, 14, "13800008000", 0.95)
    assert finding.masked() == "138****8000"
    assert finding.label == "手机号码"


TEXT = (
    "申请人：张三，身份证号：330902198001011233，手机：138-0000-8000，"
    "邮箱 zhangsan@163.com。\n拟录用人员名单：李四、欧阳娜娜\n"
    "电话（0580）6012345，银行卡号：6222 0212 3456 7890 128。"
)


def test_mask_text():
    assert mask(TEXT) == (
        "申请人：张*，身份证号：330902********1233，手机：138****8000，"
        "邮箱 z***@163.com。\n拟录用人员名单：李*、欧阳*娜\n"
        "电话（0580）****345，银行卡号：622202*********0128。"
    )


def test_mask_is_deterministic():
    assert mask(TEXT) == mask(TEXT)


def test_mask_with_chosen_findings():
    findings = [f for f in scan(TEXT) if f.type in {"id_card", "bank_card"}]
    masked = mask(TEXT, findings)
    assert "330902********1233" in masked
    assert "622202*********0128" in masked
    assert "138-0000-8000" in masked  # not chosen, left alone
    assert "张三" in masked


def test_mask_with_no_findings_returns_the_text():
    assert mask(TEXT, []) == TEXT


def test_mask_rejects_findings_from_another_text():
    finding = Finding("mobile", 0, 11, "13800008000", 0.95)
    with pytest.raises(ValueError, match="does not match"):
        mask("13900008000", [finding])


def test_mask_skips_overlapping_findings():
    text = "13800008000"
    findings = [
        Finding("mobile", 0, 11, text, 0.95),
        Finding("landline", 3, 11, text[3:], 0.5),
    ]
    assert mask(text, findings) == "138****8000"


MASKED_TYPES = {"id_card", "id_card_15", "mobile", "landline", "bank_card", "email", "person_name"}


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "户主：王五，原身份证号（15位）：330902800101123，+86 13800008000，0580-6012345-123",
        "张三：\n您好。经研究，同意吴健霞同志任副主任。名单：\n1. 赵六\n2. 钱七\n",
        "身份证号：330902198001011234（校验位不符），永居证号码：911840198506150011",
    ],
)
def test_nothing_left_to_find_after_masking(text):
    first = scan(text)
    assert first, "the example should contain personal data"
    masked = mask(text)
    again = [f for f in scan(masked) if f.type in MASKED_TYPES]
    assert again == [], again
    assert mask(masked) == masked


@pytest.mark.parametrize("value", ["E12345678", "G1234567", "AB12", "X"])
def test_short_numbers_masked_as_ids_stay_mostly_hidden(value):
    masked = mask_value("id_card", value)
    assert len(masked) == len(value)
    assert masked.count("*") >= len(value) / 2
    # Never a character shown twice, as overlapping ends would do.
    assert masked.replace("*", "") in (
        value[: len(value) // 4] + value[len(value) - len(value) // 4 :],
    )
