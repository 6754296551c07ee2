"""Path values no record can have answer 404: out-of-range ids and years, agency keys that are
not slugs (NUL, "²", markup)."""

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from gongkai.core.converters import ID_MAX
from gongkai.core.models import Role
from gongkai.core.tests.crawl import like_postgresql


@pytest.mark.parametrize(
    "path",
    [
        f"/staff/catalogue/liuheng/items/{ID_MAX + 1}/",
        "/staff/catalogue/liuheng/items/99999999999999999999/",
        f"/staff/applications/liuheng/1/files/{ID_MAX + 1}/",
        f"/staff/agencies/{ID_MAX + 1}/",
        f"/gk/liuheng/items/{ID_MAX + 1}/",
        f"/gk/liuheng/guides/{ID_MAX + 1}/",
        "/staff/reports/liuheng/9999/",
        "/staff/reports/liuheng/0/",
        "/staff/reports/liuheng/99999999999999999999/",
        "/gk/liuheng/reports/9999/",
        "/staff/catalogue/\x00/",
        "/staff/catalogue/²/",
        "/staff/operations/<script>/",
    ],
)
def test_a_value_no_record_can_have_matches_no_url(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_the_largest_id_and_the_years_in_range_still_match():
    assert resolve(f"/staff/catalogue/liuheng/items/{ID_MAX}/").kwargs["pk"] == ID_MAX
    assert resolve("/staff/reports/liuheng/2025/").kwargs["year"] == 2025
    assert resolve("/staff/catalogue/12/").kwargs["agency"] == "12"  # an agency by its pk


@pytest.mark.parametrize(
    "path",
    [
        "/staff/catalogue/%C2%B2/",  # "²".isdigit() is true, int("²") fails
        "/staff/engagement/%3Cscript%3E/",
        "/staff/matters/%E5%85%AD%E6%A8%AA/",  # 六横: slugs are ASCII
        "/staff/reports/liuheng/9999/",  # the year after 9999 has no date
        "/staff/reports/liuheng/0/",
        "/staff/reports/liuheng/2147483648/rollup/",
        "/staff/reports/liuheng/9999/download/docx/",
    ],
)
def test_hostile_path_values_answer_404(client, town, make_member, path):
    client.force_login(make_member(town, Role.OFFICER))
    with like_postgresql():
        assert client.get(path).status_code == 404


def test_reversing_with_a_value_that_is_no_id_finds_no_url():
    """As with <int:…>: `{% url … obj.pk as link %}` of an unsaved object leaves link empty."""
    with pytest.raises(NoReverseMatch):
        reverse("catalogue:item-detail", args=["liuheng", None])
    with pytest.raises(NoReverseMatch):
        reverse("reports:report", args=["liuheng", "x"])
    assert reverse("reports:report", args=["liuheng", 2025]) == "/staff/reports/liuheng/2025/"
