"""Services of the matters: validation, permissions, the workflow and its catalogue item."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.services import ReviewChecks
from gongkai.core.models import AuditEvent
from gongkai.matters import services
from gongkai.matters.models import Material, Matter, MatterStatus, ServiceSector, StarCriterion
from gongkai.matters.services import GUIDE_COLUMN, WorkflowError
from gongkai.matters.workflow import MACHINE, Action
from gongkai.search.models import SearchDocument

from .conftest import ALL_CHECKS, MATERIALS, matter_fields


def test_default_sectors_are_the_seeds_seven_and_created_once(town):
    first = services.sectors_ensure_defaults(town)
    again = services.sectors_ensure_defaults(town)
    assert [s.name for s in first] == [
        "税收服务",
        "不动产登记",
        "商事登记",
        "投资项目",
        "公安服务",
        "民生事务",
        "公共事业",
    ]
    assert [s.pk for s in again] == [s.pk for s in first]
    assert ServiceSector.objects.filter(agency=town).count() == 7


def test_create_stores_the_matter_with_its_materials_and_audits(make_matter, people):
    matter = make_matter()
    assert matter.status == MatterStatus.DRAFT
    assert matter.created_by == people.editor
    materials = list(matter.materials.order_by("position"))
    assert [(m.position, m.name, m.copies, m.form, m.required) for m in materials] == [
        (1, "申请表", 1, "original", True),
        (2, "申请人身份证明", 1, "original_copy", True),
        (3, "授权委托书", 2, "original", False),
    ]
    event = AuditEvent.objects.get(verb="matter.create", object_id=str(matter.pk))
    assert event.actor == people.editor
    assert event.after["code"] == "LH-0001"
    assert [m["name"] for m in event.after["materials"]] == [m["name"] for m in MATERIALS]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"no_difference": True, "sector": None}, "sector"),
        ({"statutory_days": 5, "promised_days": 10}, "promised_days"),
        ({"charged": True, "fee_standard": ""}, "fee_standard"),
        ({"zero_visit": True, "at_most_once": False}, "at_most_once"),
        ({"fully_online": True, "online": False}, "online"),
        ({"name": ""}, "name"),
        ({"star": 6}, "star"),
    ],
)
def test_create_refuses_inconsistent_matters(make_matter, changes, field):
    with pytest.raises(ValidationError) as caught:
        make_matter(**changes)
    assert field in caught.value.message_dict
    assert not Matter.objects.exists()


def test_materials_are_checked(make_matter):
    with pytest.raises(ValidationError) as caught:
        make_matter(
            materials=[
                {"name": "申请表", "form": "original"},
                {"name": "申请表", "form": "original"},
                {"name": "照片", "form": "bogus"},
            ]
        )
    messages = caught.value.message_dict["materials"]
    assert any("2" in m and "申请表" in m for m in messages)
    assert any("3" in m for m in messages)
    assert not Material.objects.exists()


def test_code_is_unique_per_agency_only(make_matter, people, other_town):
    make_matter()
    with pytest.raises(ValidationError) as caught:
        make_matter()
    assert "code" in caught.value.message_dict
    other = make_matter(agency=other_town, author=people.outsider)
    assert other.code == "LH-0001"


def test_who_may_create(town, people, other_town, sectors):
    for user in (people.reviewer, people.admin, people.supervisor, people.outsider):
        with pytest.raises(PermissionDenied):
            services.matter_create(actor=user, agency=town, **matter_fields())
    with pytest.raises(ValidationError):  # another agency's sector
        services.matter_create(
            actor=people.outsider,
            agency=other_town,
            **matter_fields(sector=sectors["税收服务"], no_difference=True),
        )


# --- the transitions table -----------------------------------------------------------------


def test_transitions_table():
    assert MACHINE.target(Action.PUBLISH, "draft") == "published"
    assert MACHINE.target(Action.PUBLISH, "published") is None
    assert MACHINE.target(Action.REVISE, "published") == "draft"
    assert MACHINE.target(Action.RETIRE, "draft") == "retired"
    assert MACHINE.target(Action.RETIRE, "retired") is None
    assert MACHINE.target(Action.REOPEN, "retired") == "draft"
    assert MACHINE.possible("retired") == [Action.REOPEN]
    assert set(MACHINE.names()) == set(Action)


def test_publish_discloses_the_guide_as_a_catalogue_item(make_matter, people, town):
    StarCriterion.objects.create(agency=town, star=4, text="全程网办或快递送达")
    matter = make_matter("published")
    assert matter.status == MatterStatus.PUBLISHED
    assert matter.published_on is not None
    item = matter.item
    assert item.status == ItemStatus.PUBLISHED
    assert item.column.name == GUIDE_COLUMN
    assert item.title == "个体工商户设立登记办事指南"
    assert item.created_by == people.editor  # the author of the version …
    assert item.approved_by == people.reviewer  # … approved by someone else
    assert "四星" in item.body and "全程网办或快递送达" in item.body
    assert "授权委托书" in item.body and "原件和复印件" in item.body
    assert f"/gk/liuheng/guides/{matter.pk}/" in item.body
    assert SearchDocument.objects.filter(item=item).exists()
    verbs = list(
        AuditEvent.objects.filter(object_type="matters.matter", object_id=str(matter.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["matter.create", "matter.publish"]


def test_publish_needs_the_review_checks(make_matter, people):
    matter = make_matter()
    with pytest.raises(ValidationError):
        services.matter_publish(
            actor=people.reviewer,
            matter=matter,
            checks=ReviewChecks(secrecy=True, privacy=False, wording=True),
        )
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DRAFT and matter.item is None


def test_four_eyes_the_author_cannot_publish_their_version(make_matter, people):
    matter = make_matter(author=people.officer)
    with pytest.raises(PermissionDenied):
        services.matter_publish(actor=people.officer, matter=matter, checks=ALL_CHECKS)
    for user in (people.editor, people.admin, people.outsider, people.supervisor):
        with pytest.raises(PermissionDenied):
            services.matter_publish(actor=user, matter=matter, checks=ALL_CHECKS)
    services.matter_publish(actor=people.reviewer, matter=matter, checks=ALL_CHECKS)


def test_publishing_twice_is_refused(make_matter, people):
    matter = make_matter("published")
    with pytest.raises(WorkflowError):
        services.matter_publish(actor=people.officer, matter=matter, checks=ALL_CHECKS)


def test_revising_keeps_the_published_item_until_republished(make_matter, people):
    matter = make_matter("published")
    first = matter.item
    matter = services.matter_update(
        actor=people.editor, matter=matter, data={"promised_days": 3}, materials=MATERIALS[:1]
    )
    assert matter.status == MatterStatus.DRAFT
    first.refresh_from_db()
    assert first.status == ItemStatus.PUBLISHED
    assert matter.materials.count() == 1

    matter = services.matter_publish(actor=people.officer, matter=matter, checks=ALL_CHECKS)
    first.refresh_from_db()
    assert first.status == ItemStatus.WITHDRAWN
    assert matter.item != first and matter.item.status == ItemStatus.PUBLISHED
    assert "3个工作日" in matter.item.body
    assert "授权委托书" not in matter.item.body


def test_an_unchanged_update_writes_nothing(make_matter, people):
    matter = make_matter("published")
    before = AuditEvent.objects.count()
    services.matter_update(
        actor=people.editor, matter=matter, data=matter_fields(), materials=MATERIALS
    )
    matter.refresh_from_db()
    assert matter.status == MatterStatus.PUBLISHED
    assert AuditEvent.objects.count() == before


def test_retire_withdraws_the_item_and_reopen_makes_a_draft(make_matter, people):
    matter = make_matter("published")
    with pytest.raises(ValidationError):
        services.matter_retire(actor=people.reviewer, matter=matter, reason=" ")
    with pytest.raises(PermissionDenied):
        services.matter_retire(actor=people.editor, matter=matter, reason="取消")
    matter = services.matter_retire(actor=people.reviewer, matter=matter, reason="事项取消")
    assert matter.status == MatterStatus.RETIRED and matter.retired_on is not None
    matter.item.refresh_from_db()
    assert matter.item.status == ItemStatus.WITHDRAWN
    assert not SearchDocument.objects.filter(item=matter.item).exists()
    with pytest.raises(PermissionDenied):
        services.matter_update(actor=people.editor, matter=matter, data={"name": "新名称"})
    matter = services.matter_reopen(actor=people.editor, matter=matter)
    assert matter.status == MatterStatus.DRAFT
    assert matter.published_on is None and matter.retired_on is None


def test_star_criteria_and_sectors_are_configured_by_officer_or_admin(town, people, sectors):
    criterion = services.star_criterion_set(actor=people.admin, agency=town, star=5, text="零跑腿")
    services.star_criterion_set(actor=people.officer, agency=town, star=5, text="零跑腿，掌上办")
    criterion.refresh_from_db()
    assert criterion.text == "零跑腿，掌上办"
    with pytest.raises(PermissionDenied):
        services.star_criterion_set(actor=people.editor, agency=town, star=5, text="x")
    with pytest.raises(ValidationError):
        services.star_criterion_set(actor=people.officer, agency=town, star=7, text="x")
    sector = services.sector_create(actor=people.officer, agency=town, name="社保医保")
    services.sector_update(actor=people.officer, sector=sector, data={"is_active": False})
    with pytest.raises(PermissionDenied):
        services.sector_create(actor=people.outsider, agency=town, name="其他")
    with pytest.raises(ValidationError):
        services.sector_create(actor=people.officer, agency=town, name="税收服务")


def test_four_eyes_counts_every_author_of_the_version_not_only_the_last(make_matter, people):
    # The officer rewrites the procedure, the editor then changes a detail: the version to be
    # published is partly the officer's, so the officer cannot publish it (issue 13, finding 5).
    matter = make_matter("published")
    matter = services.matter_update(
        actor=people.officer, matter=matter, data={"procedure": "申请—受理—决定"}
    )
    matter = services.matter_update(actor=people.editor, matter=matter, data={"promised_days": 2})
    assert matter.updated_by == people.editor
    with pytest.raises(PermissionDenied):
        services.matter_publish(actor=people.officer, matter=matter, checks=ALL_CHECKS)
    services.matter_publish(actor=people.reviewer, matter=matter, checks=ALL_CHECKS)
    # Once published, the next version starts afresh: the officer may publish the editor's.
    matter = services.matter_update(actor=people.editor, matter=matter, data={"promised_days": 3})
    services.matter_publish(actor=people.officer, matter=matter, checks=ALL_CHECKS)
