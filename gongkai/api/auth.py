"""Bearer-token authentication for the staff API (no sessions, hence no CSRF)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken
from .services import hash_key

# last_used_at is refreshed at most this often, so a burst of calls is not a burst of writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_KEY_LENGTH = 200


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`; the request then acts as the token's user (`request.auth`)."""

    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        if not token or len(token) > MAX_KEY_LENGTH:
            return None
        api_token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_key(token))
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.api_token = api_token
        return api_token.user


token_auth = TokenAuth()
