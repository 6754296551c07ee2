from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from . import memo
from .context import client_ip, current_ip

SESSION_STARTED_KEY = "_gongkai_session_started"


class SiteLanguageMiddleware(LocaleMiddleware):
    """Pages are in the site's language (LANGUAGE_CODE, 简体中文), whatever the browser asks.

    An officer's or a citizen's browser set to English must not turn a government site English;
    a deployment that wants the browser's choice sets GONGKAI_BROWSER_LANGUAGE, and Django's
    negotiation (Accept-Language, the language cookie) applies again.
    """

    def process_request(self, request):
        if settings.GONGKAI_BROWSER_LANGUAGE:
            return super().process_request(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if settings.GONGKAI_BROWSER_LANGUAGE:
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RequestContextMiddleware:
    """Makes the client IP available to services for their audit events, and opens the
    request's memo (core/memo.py: what the request's selectors read once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            with memo.request_scope():
                return self.get_response(request)
        finally:
            current_ip.reset(token)


class RefuseNulMiddleware:
    """A request whose path or query string holds NUL is a 400.

    No page takes NUL, and PostgreSQL refuses it in a query's text: a view that passed a URL's
    "%00" on to a filter answered 500 there (SQLite stores it, so the tests did not see it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL in the address")
        return self.get_response(request)


class StaffSessionMiddleware:
    """Ends a staff session after GONGKAI_SESSION_MAX_AGE however active it was.

    The idle timeout is Django's rolling session cookie (SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST); this adds the absolute cap.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.GONGKAI_SESSION_MAX_AGE.total_seconds():
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


# Pages under these prefixes carry personal or internal data whoever asks (a login page too:
# its form and CSRF token are per visitor).
NO_STORE_PREFIXES = ("/staff/", "/api/", "/admin/", "/accounts/")


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every staff page, API answer and response to a
    logged-in user, so that neither a shared proxy nor the browser's history keeps a copy of
    an applicant's data after the staff member has left the computer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith(NO_STORE_PREFIXES) or (
            user is not None and user.is_authenticated
        ):
            add_never_cache_headers(response)
        return response
