"""Who may do what with service matters (named predicates over core's roles).

Authors (editors, the disclosure officer) write matters; reviewers and the officer publish and
retire them. Publishing discloses the guide as a catalogue item, so the catalogue's four-eyes
rule applies: nobody publishes the version they wrote themselves.
"""

from gongkai.core.models import Agency, AuditEvent, Role
from gongkai.core.permissions import has_role

from .models import Matter, MatterStatus

AUTHOR_ROLES = (Role.EDITOR, Role.OFFICER)
PUBLISH_ROLES = (Role.REVIEWER, Role.OFFICER)


def can_create_matter(user, agency: Agency) -> bool:
    return has_role(user, agency, *AUTHOR_ROLES)


def can_edit_matter(user, matter: Matter) -> bool:
    return matter.status != MatterStatus.RETIRED and has_role(user, matter.agency, *AUTHOR_ROLES)


# The audit events of a matter that change what its next published version says.
CONTENT_VERBS = ("matter.create", "matter.update", "matter.reopen")


def version_authors(matter: Matter) -> set[int]:
    """Who wrote the version to be published: whoever saved it last, and everyone the audit
    trail shows changing the matter since it was last published (an author whose edit someone
    else saved over wrote part of it all the same)."""
    authors = {matter.updated_by_id} if matter.updated_by_id is not None else set()
    if matter.pk is None:
        return authors
    events = AuditEvent.objects.filter(
        object_type=Matter._meta.label_lower, object_id=str(matter.pk)
    )
    published = (
        events.filter(verb="matter.publish").order_by("-id").values_list("id", flat=True).first()
    )
    if published is not None:
        events = events.filter(id__gt=published)
    changes = events.filter(verb__in=CONTENT_VERBS, actor__isnull=False)
    return authors | set(changes.values_list("actor_id", flat=True))


def is_own_version(user, matter: Matter) -> bool:
    """Four eyes: nobody publishes a version they wrote any part of."""
    return bool(user.is_authenticated) and user.pk in version_authors(matter)


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
