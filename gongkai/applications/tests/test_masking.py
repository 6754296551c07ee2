import pytest

from gongkai.applications.masking import masked_id, masked_name, masked_phone


@pytest.mark.parametrize(
    ("id_type", "number", "shown"),
    [
        ("resident_id", "330902199001011238", "330902********1238"),
        ("resident_id", "330902900101123", "330902******123"),
        ("passport", "E12345678", "E1*****78"),
        ("credit_code", "91330903MA2A12345X", "91330903MA2A12345X"),
    ],
)
def test_identity_numbers(id_type, number, shown):
    assert masked_id(id_type, number) == shown


def test_phones_and_names():
    assert masked_phone("13800138000") == "138****8000"
    assert "0101" not in masked_phone("0580-0000101")
    assert masked_phone("") == ""
    assert masked_name("natural_person", "王小明") == "王*明"
    assert masked_name("commercial", "舟山演示港务工程有限公司") == "舟山演示港务工程有限公司"
