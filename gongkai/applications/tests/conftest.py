import pytest

from gongkai.applications.services import ApplicationInput
from gongkai.core.models import Role


def person(**overrides) -> ApplicationInput:
    values = {
        "applicant_type": "natural_person",
        "applicant_name": "王小明",
        "id_type": "resident_id",
        "id_number": "330902199001011238",
        "phone": "13800138000",
        "information": "2025年六横镇海塘加固工程的招标文件和中标公告",
        "forms": ["email"],
        "delivery": "email",
        "email": "wang@example.com",
    }
    values.update(overrides)
    return ApplicationInput(**values)


@pytest.fixture
def office(agency_tree, make_member):
    town = agency_tree["town"]
    return {
        "agency": town,
        "officer": make_member(town, Role.OFFICER),
        "head": make_member(town, Role.OFFICE_HEAD),
        "editor": make_member(town, Role.EDITOR),
        "other_officer": make_member(agency_tree["other_town"], Role.OFFICER),
        "supervisor": make_member(agency_tree["district"], Role.SUPERVISOR),
    }
