from gongkai.core import codes


def test_codes_use_the_unambiguous_alphabet():
    code = codes.new_code()
    assert len(code) == codes.LENGTH
    assert set(code) <= set(codes.ALPHABET) and not set(code) & set("01IO")


def test_a_code_matches_its_record_only(settings):
    stored = codes.hash_code("tests.code", 7, "ABCD2345")
    assert codes.code_matches(stored, "tests.code", 7, " abcd2345 ")
    assert not codes.code_matches(stored, "tests.code", 8, "ABCD2345")  # another record
    assert not codes.code_matches(stored, "tests.other", 7, "ABCD2345")  # another purpose
    assert not codes.code_matches(stored, "tests.code", 7, "ABCD234")  # wrong length
    assert not codes.code_matches("", "tests.code", 7, "ABCD2345")  # no code stored
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert not codes.code_matches(stored, "tests.code", 7, "ABCD2345")


def test_ip_hashes_are_keyed_by_purpose():
    assert codes.hash_ip("a", "10.0.0.1") == codes.hash_ip("a", "10.0.0.1")
    assert codes.hash_ip("a", "10.0.0.1") != codes.hash_ip("b", "10.0.0.1")
    assert "10.0.0.1" not in codes.hash_ip("a", "10.0.0.1")
    assert codes.hash_ip("a", "") == ""
