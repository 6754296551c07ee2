"""The working-day calculator on /staff/calendar/ refuses dates and counts it cannot handle."""

import pytest
from django.urls import reverse
from django.utils import translation

from gongkai.core.models import Role

URL = reverse("core:calendar")


@pytest.fixture
def officer(client, town, make_member):
    user = make_member(town, Role.OFFICER)
    client.force_login(user)
    return user


def calculate(client, **query):
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("start", ["9999-12-31", "9999-12-30", "0001-01-01", "1899-12-31"])
def test_a_date_outside_1900_to_2100_is_refused_in_chinese(client, officer, start):
    response = calculate(client, start=start, days="400")
    form = response.context["form"]
    assert response.context["result"] is None
    with translation.override("zh-hans"):
        assert form.errors["start"] == ["请输入1900年至2100年之间的日期。"]
    assert "请输入1900年至2100年之间的日期。" in response.content.decode()


def test_more_than_400_working_days_is_refused(client, officer):
    response = calculate(client, start="2025-01-02", days="99999999999999999999")
    assert "days" in response.context["form"].errors
    assert response.context["result"] is None


def test_a_date_in_range_is_counted(client, officer):
    response = calculate(client, start="2025-01-02", days="1")
    assert response.context["form"].errors == {}
    assert str(response.context["result"]) == "2025-01-03"
