"""Fixtures of the matters tests: a town with one user per role, its sectors, matters."""

from dataclasses import dataclass

import pytest

from gongkai.catalogue.services import ReviewChecks
from gongkai.core.models import Role, User
from gongkai.matters import services
from gongkai.matters.models import MaterialForm, MatterType

ALL_CHECKS = ReviewChecks(secrecy=True, privacy=True, wording=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass(frozen=True)
class People:
    editor: User
    reviewer: User
    officer: User
    admin: User
    outsider: User  # an officer of the neighbouring town
    supervisor: User  # reads the whole district


@pytest.fixture
def people(agency_tree, make_member) -> People:
    town = agency_tree["town"]
    return People(
        editor=make_member(town, Role.EDITOR, "lh-editor"),
        reviewer=make_member(town, Role.REVIEWER, "lh-reviewer"),
        officer=make_member(town, Role.OFFICER, "lh-officer"),
        admin=make_member(town, Role.AGENCY_ADMIN, "lh-admin"),
        outsider=make_member(agency_tree["other_town"], Role.OFFICER, "th-officer"),
        supervisor=make_member(agency_tree["district"], Role.SUPERVISOR, "pt-supervisor"),
    )


@pytest.fixture
def sectors(town):
    return {s.name: s for s in services.sectors_ensure_defaults(town)}


MATERIALS = [
    {"name": "申请表", "copies": 1, "form": MaterialForm.ORIGINAL, "required": True, "note": ""},
    {
        "name": "申请人身份证明",
        "copies": 1,
        "form": MaterialForm.ORIGINAL_AND_COPY,
        "required": True,
        "note": "核验原件",
    },
    {
        "name": "授权委托书",
        "copies": 2,
        "form": MaterialForm.ORIGINAL,
        "required": False,
        "note": "",
    },
]


def matter_fields(**changes) -> dict:
    fields = {
        "name": "个体工商户设立登记",
        "code": "LH-0001",
        "matter_type": MatterType.LICENSING,
        "legal_basis": "《促进个体工商户发展条例》",
        "conditions": "申请材料齐全、符合法定形式。",
        "procedure": "申请—受理—审查—决定",
        "statutory_days": 15,
        "promised_days": 1,
        "place": "六横镇便民服务中心3号窗口",
        "hours": "工作日 8:30—17:00",
        "consult_phone": "0580-0000111",
        "complaint_phone": "0580-0000112",
        "star": 4,
        "online_application": True,
        "online": True,
        "express_delivery": True,
        "zero_visit": True,
        "at_most_once": True,
        "at_most_once_required": True,
    }
    fields.update(changes)
    return fields


@pytest.fixture
def make_matter(town, people, sectors):
    """make_matter(status="draft", **fields) -> a matter moved through the real services."""

    def make(status="draft", *, agency=None, author=None, publisher=None, **changes):
        agency = agency or town
        author = author or people.editor
        changes.setdefault("sector", sectors["商事登记"] if agency == town else None)
        changes.setdefault("no_difference", changes["sector"] is not None)
        materials = changes.pop("materials", MATERIALS)
        matter = services.matter_create(
            actor=author, agency=agency, materials=materials, **matter_fields(**changes)
        )
        if status == "draft":
            return matter
        matter = services.matter_publish(
            actor=publisher or people.reviewer, matter=matter, checks=ALL_CHECKS
        )
        if status == "published":
            return matter
        assert status == "retired"
        return services.matter_retire(
            actor=publisher or people.reviewer, matter=matter, reason="事项取消"
        )

    return make
