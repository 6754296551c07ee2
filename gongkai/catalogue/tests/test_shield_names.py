"""The shield and the names the system knows: the agency's staff and applicants, and names found
in context anywhere in an item, which masking removes from every text node."""

import pytest
import time_machine

from gongkai.applications.services import ApplicationInput, application_submit
from gongkai.catalogue import services, shield
from gongkai.core.models import Role

NOW = "2026-03-02 10:00 +08:00"


def names_found(item) -> list[str]:
    return [f.finding.text for f in shield.item_findings(item) if f.finding.type == "person_name"]


def applicant(name: str) -> ApplicationInput:
    return ApplicationInput(
        applicant_type="natural_person",
        applicant_name=name,
        id_type="resident_id",
        id_number="330902199001011238",
        phone="13800138000",
        information="2025年六横镇海塘加固工程的招标文件",
        forms=["email"],
        delivery="email",
        email="applicant@example.com",
    )


@pytest.mark.django_db
def test_a_staff_member_s_name_is_found_anywhere(make_item, make_member, town, other_town):
    colleague = make_member(town, Role.OFFICER, "lh-colleague")
    colleague.last_name, colleague.first_name = "于", "国庆"
    colleague.save()
    stranger = make_member(other_town, Role.OFFICER, "th-stranger")
    stranger.last_name, stranger.first_name = "明", "东海"
    stranger.save()
    # no label, no title, and surnames that are more often words (于, 明), which the scorer of
    # names in running text leaves alone: only the agency's own records say these are names
    item = make_item(body="<p>今天于国庆到村里走访，明东海也来了。</p>")
    assert names_found(item) == ["于国庆"]  # the other town's officer is not this agency's


@pytest.mark.django_db
def test_an_applicant_s_name_is_found_and_masked(make_item, people, town):
    with time_machine.travel(NOW, tick=False):
        application_submit(agency=town, data=applicant("柯佩瑶"))
    item = make_item(summary="关于柯佩瑶所提申请的处理情况", body="<p>柯佩瑶反映的问题已处理。</p>")
    assert names_found(item) == ["柯佩瑶", "柯佩瑶"]
    services.item_mask_findings(actor=people.editor, item=item)
    item.refresh_from_db()
    assert "柯佩瑶" not in item.summary and "柯佩瑶" not in item.body
    assert "柯*瑶" in item.body
    assert shield.item_findings(item) == []


@pytest.mark.django_db
def test_a_name_in_a_table_column_is_masked_in_its_cell(make_item, people):
    # In the body's HTML the name stands alone in its cell: it is a name because of the
    # column's header, which masking must remember when it rewrites each text node.
    body = (
        "<p>2026年临时救助对象公示</p><table>"
        "<tr><th>序号</th><th>户主姓名</th><th>救助金额（元）</th></tr>"
        "<tr><td>1</td><td>岑秀梅</td><td>1200</td></tr>"
        "<tr><td>2</td><td>邝德明</td><td>800</td></tr></table>"
    )
    item = make_item(body=body)
    assert names_found(item) == ["岑秀梅", "邝德明"]
    services.item_mask_findings(actor=people.editor, item=item)
    item.refresh_from_db()
    assert "岑秀梅" not in item.body and "邝德明" not in item.body
    assert "<td>岑*梅</td>" in item.body and "<td>邝*明</td>" in item.body
    assert "<td>1200</td>" in item.body
    assert shield.item_findings(item) == []


@pytest.mark.django_db
def test_no_known_names_means_no_extra_findings(make_item):
    item = make_item(body="<p>王家村村民委员会召开会议，张江路改造工程开工。</p>")
    assert names_found(item) == []
