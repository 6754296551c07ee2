"""Who may manage API tokens.

A token acts with all of its user's roles, so only the user themselves or a platform
administrator may create or revoke one: an agency administrator must not be able to mint a
credential for a colleague who also holds roles in another agency.
"""

from gongkai.core.permissions import can_use_staff_pages, is_active_user


def can_manage_api_tokens(actor, user) -> bool:
    if not is_active_user(actor):
        return False
    if actor.is_superuser:
        return True
    return actor.pk == user.pk and can_use_staff_pages(actor)
