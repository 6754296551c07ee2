"""Writes of API tokens. Keyword-only, permission-checked, audited in the same transaction."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import User
from gongkai.core.permissions import require

from . import permissions
from .models import ApiToken

PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    """The stored form of a key. Keys are 256 random bits, so a plain SHA-256 is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> str:
    # A key (and so its prefix) never starts with "-": the prefix is typed on command lines,
    # where a leading dash reads as an option.
    while True:
        key = secrets.token_urlsafe(32)
        if not key.startswith("-"):
            return key


@transaction.atomic
def api_token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its plaintext key, which is not kept anywhere."""
    if actor is not None:
        require(permissions.can_manage_api_tokens(actor, user))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as what will use it.")})
    if not user.is_active:
        raise ValidationError(_("The account %(user)s is disabled.") % {"user": user.username})
    key = _new_key()
    token = ApiToken(user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        verb="api_token.create",
        obj=token,
        after={"user": user.username, "name": name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token for good (idempotent: revoking a revoked token changes nothing)."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if actor is not None:
        require(permissions.can_manage_api_tokens(actor, token.user))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            verb="api_token.revoke",
            obj=token,
            after={"user": token.user.username, "name": token.name, "prefix": token.prefix},
        )
    return token
