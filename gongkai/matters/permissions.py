"""Who may do what with service matters (named predicates over core's roles).

Authors (editors, the disclosure officer) write matters; reviewers and the officer publish and
retire them. Publishing discloses the guide as a catalogue item, so the catalogue's four-eyes
rule applies: nobody publishes the version they wrote themselves.
"""

from gongkai.core.models import Agency, Role
from gongkai.core.permissions import has_role

from .models import Matter, MatterStatus

AUTHOR_ROLES = (Role.EDITOR, Role.OFFICER)
PUBLISH_ROLES = (Role.REVIEWER, Role.OFFICER)


def can_create_matter(user, agency: Agency) -> bool:
    return has_role(user, agency, *AUTHOR_ROLES)


def can_edit_matter(user, matter: Matter) -> bool:
    return matter.status != MatterStatus.RETIRED and has_role(user, matter.agency, *AUTHOR_ROLES)


def is_own_version(user, matter: Matter) -> bool:
    """Four eyes: the last person who changed the matter wrote the version to be published."""
    return matter.updated_by_id is not None and matter.updated_by_id == user.pk


def can_publish_matter(user, matter: Matter) -> bool:
    return (
        matter.status == MatterStatus.DRAFT
        and has_role(user, matter.agency, *PUBLISH_ROLES)
        and not is_own_version(user, matter)
    )


def can_retire_matter(user, matter: Matter) -> bool:
    return matter.status != MatterStatus.RETIRED and has_role(user, matter.agency, *PUBLISH_ROLES)


def can_reopen_matter(user, matter: Matter) -> bool:
    return matter.status == MatterStatus.RETIRED and has_role(user, matter.agency, *AUTHOR_ROLES)


def can_import_matters(user, agency: Agency) -> bool:
    return can_create_matter(user, agency)


def can_configure_matters(user, agency: Agency) -> bool:
    """Sectors (无差别受理 板块) and star criteria: the officer or the agency's administrator."""
    return bool(user.is_authenticated and user.is_superuser) or has_role(
        user, agency, Role.OFFICER, Role.AGENCY_ADMIN
    )
