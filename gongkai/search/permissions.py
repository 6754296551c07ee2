"""Who may change the search dictionary: platform administrators, and agency administrators
and disclosure officers of any agency (the dictionary is shared by every agency's portal)."""

from gongkai.core.models import Membership, Role
from gongkai.core.permissions import is_active_user

DICTIONARY_ROLES = (Role.AGENCY_ADMIN, Role.OFFICER)


def can_manage_search_terms(user) -> bool:
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=DICTIONARY_ROLES).exists()
