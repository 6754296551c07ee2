"""Bidi controls and zero-width characters in names: removed when they come in (staff and
agency names through the models' clean, used by the services and the admin) and neutralised
when shown (the `isolate` filter)."""

import pytest
from django.template import Context, Template

from gongkai.core import services
from gongkai.core.models import AgencyLevel
from gongkai.core.tests.factories import make_uscc
from gongkai.core.validators import strip_invisible

RLO = "\u202e"
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\ufeff\u2060\u061c"


def test_strip_invisible_removes_every_control_and_keeps_the_rest():
    assert strip_invisible(f"王{CONTROLS}小明 Ab-1.pdf") == "王小明 Ab-1.pdf"
    assert strip_invisible("") == ""
    assert strip_invisible("张三（李四）") == "张三（李四）"


def test_isolate_wraps_in_bdi_and_drops_the_controls():
    html = Template("{% load core_text %}<p>{{ name|isolate }} 提交</p>").render(
        Context({"name": f"<b>王</b>{RLO}明"})
    )
    assert html == '<p><bdi dir="auto">&lt;b&gt;王&lt;/b&gt;明</bdi> 提交</p>'
    assert Template("{% load core_text %}{{ name|isolate }}").render(Context({"name": ""})) == ""


@pytest.mark.django_db
def test_staff_names_lose_the_controls():
    user = services.user_create(
        actor=None,
        username="lh_zhang",
        password="Gongkai-test-2026",
        last_name=f"张{RLO}",
        first_name="\u200b三",
    )
    user.refresh_from_db()
    assert (user.last_name, user.first_name) == ("张", "三")


@pytest.mark.django_db
def test_agency_names_lose_the_controls():
    agency = services.agency_create(
        actor=None,
        name=f"六横镇{RLO}人民政府",
        short_name="六横\u2066镇",
        slug="liuheng",
        level=AgencyLevel.TOWNSHIP,
        uscc=make_uscc(7),
        office_name="党政\ufeff办",
    )
    agency.refresh_from_db()
    assert (agency.name, agency.short_name, agency.office_name) == (
        "六横镇人民政府",
        "六横镇",
        "党政办",
    )
    services.agency_update(actor=None, agency=agency, data={"short_name": f"{RLO}六横"})
    agency.refresh_from_db()
    assert agency.short_name == "六横"
