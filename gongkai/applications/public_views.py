"""The public side of 依申请公开 on an agency's portal: the online application form, the result
page with the 申请编号 and 查询码, and the status page.

Nothing here is cached or stored as a page: every response is personal (`never_cache`). The
查询码 exists in clear only in the response to the POST that created the application; the
status page is unlocked by number and code, after which the session holds the application's id
(with its agency's and the time the access ends, never the code) for STATUS_ACCESS_SECONDS, so
that downloads and the correction need no code.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core import intake, sites
from gongkai.core.context import client_ip
from gongkai.core.forms import add_service_errors
from gongkai.core.selectors import current_work_calendar
from gongkai.core.storage import private_file_response

from . import clock, masking, selectors, services
from . import render as letter_render
from .public_forms import ApplicationForm, CorrectionForm, LookupForm
from .taxonomy import ApplicantType
from .workflow import awaiting_correction

STATUS_ACCESS_KEY = "gongkai.application_access"
STATUS_ACCESS_SECONDS = 30 * 60
LETTER_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _site(slug: str):
    agency = get_object_or_404(sites.public_agencies(), slug=slug)
    return sites.site_for(agency)


def _ip(request) -> str:
    # The address the audit trail records (RequestContextMiddleware), read the same way.
    return client_ip(request) or ""


def _noindex(response):
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- the application form ------------------------------------------------------------------


def _form_page(request, site, form, *, status: int = 200, notice: str = ""):
    online = services.settings_for(site.agency).online_enabled
    return render(
        request,
        "applications/public/apply.html",
        {
            "site": site,
            "agency": site.agency,
            "form": form,
            "online": online,
            "notice": notice,
            "organisation_types": _organisation_choices(),
        },
        status=status,
    )


def _organisation_choices():
    return [(value, ApplicantType(value).label) for value in ApplicantType.organisations()]


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, agency: str):
    site = _site(agency)
    if request.method != "POST":
        return _form_page(
            request, site, ApplicationForm(initial={"submission_token": intake.new_token()})
        )
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        return _form_page(request, site, form)
    if form.is_robot():
        # Answer like a success, store nothing: the robot must not learn it was recognised.
        decoy = services.decoy_submission(agency=site.agency, ip=_ip(request))
        return _result_page(
            request,
            site,
            number=decoy.number,
            code=decoy.code,
            created=True,
            information=form.cleaned_data["information"],
        )
    try:
        submitted = services.application_submit(
            agency=site.agency,
            data=form.to_input(),
            submission_token=form.cleaned_data["submission_token"],
            ip=_ip(request),
        )
    except services.RateLimited as exc:
        return _form_page(request, site, form, status=429, notice=" ".join(exc.messages))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _form_page(request, site, form)
    return _result_page(
        request,
        site,
        number=submitted.application.number,
        code=submitted.query_code,
        created=submitted.created,
        information=submitted.application.information,
    )


def _result_page(request, site, *, number: str, code: str, created: bool, information: str):
    """The result, laid out as a receipt to print (回执): the number, the query code (shown only
    here), what was asked, and the legal time limit with the date it gives if the office
    confirms receipt today (clock.due_date, the same rules as the application's own clock)."""
    today = services.today()
    if_confirmed_today = clock.due_date(today, current_work_calendar())
    return _noindex(
        render(
            request,
            "applications/public/submitted.html",
            {
                "site": site,
                "agency": site.agency,
                "number": number,
                "code": code,
                "created": created,
                "information": information,
                "today": today,
                "due_if_confirmed_today": if_confirmed_today.due_on,
                "due_pending_year": if_confirmed_today.pending_year,
                "reply_workdays": clock.REPLY_WORKDAYS,
                "extension_workdays": clock.MAX_EXTENSION_WORKDAYS,
                "status_query": urlencode({"number": number}),
            },
        )
    )


# --- the status page -----------------------------------------------------------------------


def _grant(request, application) -> None:
    request.session.cycle_key()
    request.session[STATUS_ACCESS_KEY] = {
        "application": application.pk,
        "agency": application.agency_id,
        "until": time.time() + STATUS_ACCESS_SECONDS,
    }


def _unlocked(request, site):
    """The application this visitor unlocked on this agency's portal, or None."""
    access = request.session.get(STATUS_ACCESS_KEY)
    if not isinstance(access, dict) or access.get("agency") != site.agency.pk:
        return None
    if not isinstance(access.get("until"), int | float) or access["until"] < time.time():
        request.session.pop(STATUS_ACCESS_KEY, None)
        return None
    return selectors.application_for_applicant(site.agency, access.get("application"))


def _unlocked_or_404(request, site):
    application = _unlocked(request, site)
    if application is None:
        raise Http404
    return application


def _status_page(request, site, application, *, correction_form=None, status: int = 200):
    clock = services.compute_clock(application)
    correcting = awaiting_correction(application)
    return _noindex(
        render(
            request,
            "applications/public/status.html",
            {
                "site": site,
                "agency": site.agency,
                "application": application,
                "masked_id": masking.masked_id(application.id_type, application.id_number),
                "masked_phone": masking.masked_phone(application.phone),
                "clock": clock,
                "timeline": list(selectors.public_timeline(application)),
                "letters": list(selectors.letters_for_applicant(application)),
                "files": list(selectors.released_files(application)),
                "correcting": correcting,
                "correction_due": services.correction_deadline(application) if correcting else None,
                "correction_form": correction_form or (CorrectionForm() if correcting else None),
                "access_minutes": STATUS_ACCESS_SECONDS // 60,
            },
            status=status,
        )
    )


def _lookup_page(request, site, form, *, status: int = 200, notice: str = ""):
    return _noindex(
        render(
            request,
            "applications/public/lookup.html",
            {"site": site, "agency": site.agency, "form": form, "notice": notice},
            status=status,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def status(request, agency: str):
    site = _site(agency)
    if request.method != "POST":
        application = _unlocked(request, site)
        if application is None:
            # The receipt's link fills in the number; the code is never in a URL.
            number = request.GET.get("number", "").strip()[:40]
            return _lookup_page(request, site, LookupForm(initial={"number": number}))
        return _status_page(request, site, application)
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, site, form)
    try:
        application = services.application_status_lookup(
            agency=site.agency,
            number=form.cleaned_data["number"],
            code=form.cleaned_data["code"],
            ip=_ip(request),
        )
    except services.RateLimited as exc:
        return _lookup_page(request, site, form, status=429, notice=" ".join(exc.messages))
    if application is None:
        form.add_error(
            None,
            _(
                "No application matches this number and query code. Check both and try again; "
                "if you lost the query code, ask the disclosure office for a new one."
            ),
        )
        return _lookup_page(request, site, form)
    _grant(request, application)
    return HttpResponseRedirect(reverse("portal:application-status", args=[site.agency.slug]))


@never_cache
@require_POST
def status_leave(request, agency: str):
    request.session.pop(STATUS_ACCESS_KEY, None)
    return HttpResponseRedirect(reverse("portal:application-status", args=[agency]))


@never_cache
@require_POST
def correction(request, agency: str):
    site = _site(agency)
    application = _unlocked_or_404(request, site)
    form = CorrectionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _status_page(request, site, application, correction_form=form, status=400)
    try:
        services.application_receive_correction(
            application=application, text=form.cleaned_data["text"], uploads=form.uploads()
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _status_page(request, site, application, correction_form=form, status=400)
    messages.success(request, _("Your correction was received. The reply period starts again."))
    return HttpResponseRedirect(reverse("portal:application-status", args=[site.agency.slug]))


# --- downloads -----------------------------------------------------------------------------


@never_cache
@require_GET
def letter_download(request, agency: str, letter: int, fmt: str):
    site = _site(agency)
    application = _unlocked_or_404(request, site)
    if fmt not in LETTER_FORMATS:
        raise Http404
    found = selectors.letters_for_applicant(application).filter(pk=letter).first()
    if found is None:
        raise Http404
    try:
        return private_file_response(
            letter_render.letter_file(found, fmt),
            filename=letter_render.download_name(found, fmt),
            content_type=LETTER_FORMATS[fmt],
        )
    except FileNotFoundError:
        raise Http404 from None


@never_cache
@require_GET
def file_download(request, agency: str, file: int):
    site = _site(agency)
    application = _unlocked_or_404(request, site)
    found = selectors.released_files(application).filter(pk=file).first()
    if found is None:
        raise Http404
    try:
        return private_file_response(
            found.file, filename=found.original_name, content_type=found.content_type
        )
    except FileNotFoundError:
        raise Http404 from None
