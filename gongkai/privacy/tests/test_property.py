"""Property-style: random valid identifiers embedded in filler text are found exactly."""

import random

import pytest

from gongkai.privacy import mask, samples, scan
from gongkai.privacy.findings import NOTE_ALSO_CREDIT_CODE

FILLER = (
    "根据《中华人民共和国政府信息公开条例》第二十条的规定",
    "现将有关事项公告如下",
    "本机关将在收到申请之日起20个工作日内予以答复",
    "收取信息处理费1,200.00元",
    "舟普政发〔2018〕12号",
    "成文日期：2024-05-01",
    "邮编316100",
    "索引号：11330903002570101X/2026-00001",
    "咨询请拨打12345",
    "特此公告",
)
LABELS = {
    "id_card": ("身份证号：", "公民身份号码", "证件号码：", ""),
    "mobile": ("手机：", "联系电话：", "电话", ""),
    "bank_card": ("银行卡号：", "收款账号：", "卡号", ""),
}
PUNCTUATION = ("，", "。", "；", "\n", " ", "（", "）")


def make(kind: str, rng: random.Random) -> str:
    if kind == "id_card":
        number = samples.id18(rng)
        return number.lower() if rng.random() < 0.2 else number
    if kind == "mobile":
        return samples.mobile(rng, rng.choice(("plain", "plain", "hyphen", "space", "cc")))
    return samples.bank_card(rng, grouped=rng.random() < 0.3)


@pytest.mark.parametrize("seed", range(5))
def test_random_identifiers_in_filler(seed):
    rng = random.Random(seed)
    for _ in range(100):
        parts: list[str] = []
        expected: list[tuple[str, int, int]] = []
        pos = 0
        for _ in range(rng.randint(1, 4)):
            kind = rng.choice(tuple(LABELS))
            before = rng.choice(FILLER) + rng.choice(PUNCTUATION) + rng.choice(LABELS[kind])
            value = make(kind, rng)
            after = rng.choice(PUNCTUATION)
            parts += [before, value, after]
            start = pos + len(before)
            expected.append((kind, start, start + len(value)))
            pos = start + len(value) + len(after)
        parts.append(rng.choice(FILLER))
        text = "".join(parts)

        findings = [f for f in scan(text) if f.type != "person_name"]
        got = [(f.type, f.start, f.end) for f in findings]
        assert got == expected, text
        for f in findings:
            assert text[f.start : f.end] == f.text
            # About one valid ID number in 341 also passes both credit-code checks.
            assert f.note in ("", NOTE_ALSO_CREDIT_CODE)

        masked = mask(text)
        assert [f for f in scan(masked) if f.type != "person_name"] == [], masked


def test_random_ids_with_wrong_check_digits_are_all_flagged():
    rng = random.Random(42)
    for _ in range(300):
        number = samples.id18(rng, valid_check=False)
        (finding,) = scan(f"身份证号：{number}。")
        assert finding.type == "id_card"
        assert finding.note == "校验位不符"


def test_random_credit_codes_are_not_flagged():
    rng = random.Random(7)
    for _ in range(500):
        code = samples.credit_code(rng, letters=rng.random() < 0.5)
        assert scan(f"（{code}）") == [], code
        assert scan(f"索引号：{code}/2026-{rng.randint(1, 99999):05d}") == [], code
