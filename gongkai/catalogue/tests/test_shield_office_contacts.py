"""The shield and an agency's own contacts: its office phone, fax and mailbox (Agency.office_*)
never block publication, wherever they are written; a person's number still does."""

import pytest

from gongkai.catalogue import shield


def blocking(item) -> list[tuple[str, str]]:
    return [(f.finding.type, f.finding.text) for f in shield.item_findings(item)]


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("0580-3012345", "0580-3012345"),
        ("0580-3012345", "（0580）3012345"),
        ("(0580)3012345", "0580-3012345"),
        ("0580-3012345", "０５８０－３０１２３４５"),  # full-width digits
        ("0580 3012345转801", "0580-3012345"),
    ],
)
def test_contact_key_reads_the_same_number_written_differently(stored, written):
    assert shield.contact_key(stored) == shield.contact_key(written)


def test_contact_key_tells_different_numbers_and_mailboxes_apart():
    assert shield.contact_key("0580-3012345") != shield.contact_key("0580-3012346")
    assert shield.contact_key("Office@Example.cn") == shield.contact_key("office@example.cn")
    assert shield.contact_key("+86 138-0000-8000") == shield.contact_key("13800008000")


@pytest.mark.django_db
def test_the_agency_s_own_contacts_do_not_block(make_item, town):
    town.office_phone = "0580-3012345"
    town.office_fax = "0580-3012346"
    town.office_email = "lhzf@example.cn"
    town.save()
    # no office named before them: only the agency's record says they are the office's
    item = make_item(
        body="<p>联系电话：0580-3019999</p>"
        "<p>电话：0580-3012345，传真号码0580-3012346。</p><p>邮箱：LHZF@example.cn</p>"
    )
    assert blocking(item) == [("landline", "0580-3019999")]


@pytest.mark.django_db
def test_without_office_contacts_a_bare_line_blocks(make_item, town):
    town.office_phone = ""
    town.save()
    item = make_item(body="<p>电话：0580-3012345</p><p>邮箱：lhzf@example.cn</p>")
    assert blocking(item) == [("landline", "0580-3012345"), ("email", "lhzf@example.cn")]


@pytest.mark.django_db
def test_an_office_named_in_the_text_does_not_block_but_a_contact_person_does(make_item, town):
    town.office_phone = town.office_fax = town.office_email = ""
    town.save()
    item = make_item(
        body="<p>桃花镇人民政府办公室 电话：0580-3012345，邮箱：thzf@163.com</p>"
        "<p>联系人：柯佩瑶，电话：0580-3012388，手机：13800008000</p>"
    )
    assert blocking(item) == [
        ("person_name", "柯佩瑶"),
        ("landline", "0580-3012388"),
        ("mobile", "13800008000"),
    ]


@pytest.mark.django_db
def test_masking_keeps_the_office_s_line_and_masks_the_person_s(make_item, town):
    town.office_phone = "0580-3012345"
    town.save()
    item = make_item()
    masker = shield.item_masker(item)
    masked = masker("办公电话0580-3012345；联系人：柯佩瑶，电话：0580-3012388")
    assert "0580-3012345" in masked
    assert "0580-3012388" not in masked and "柯佩瑶" not in masked
