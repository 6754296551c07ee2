"""我为政府网站找错 on the portal: the form, and the page where the reporter reads the reply.

Both pages carry a form with a CSRF token, so neither is ever stored by the portal's page cache
(they do not use caching.public_page) and both tell other caches not to keep them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai.core import intake, sites
from gongkai.core.context import client_ip

from . import forms, services


def _site(slug: str):
    agency = get_object_or_404(sites.public_agencies(), slug=slug)
    return sites.site_for(agency)


def _page_address(request, agency_slug: str) -> str:
    """The page the visitor came from: `?page=`, else the Referer; only addresses of this site."""
    candidate = (request.GET.get("page") or request.META.get("HTTP_REFERER") or "").strip()
    if not candidate:
        return ""
    if candidate.startswith("/") and not candidate.startswith("//"):
        candidate = request.build_absolute_uri(candidate)
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=False
    ):
        return ""
    own = reverse("portal:report-error", kwargs={"agency": agency_slug})
    if own in candidate:
        return ""
    return candidate[:500]


@never_cache
@require_http_methods(["GET", "POST"])
def report_error(request, agency):
    site = _site(agency)
    context = {"site": site, "agency": site.agency, "nav": "report-error"}
    if request.method == "GET":
        form = forms.ErrorReportForm(initial={"page_url": _page_address(request, agency)})
        return render(request, "engagement/public/report_form.html", {**context, "form": form})
    form = forms.ErrorReportForm(request.POST)
    status = 400
    if form.is_valid() and intake.is_robot(form.cleaned_data[intake.HONEYPOT_FIELD]):
        # Answer like a success, store nothing: the robot must not learn it was recognised.
        decoy = services.error_report_decoy(agency=site.agency, ip=client_ip(request) or "")
        return render(
            request,
            "engagement/public/report_done.html",
            {**context, "reference": decoy.number, "check_code": decoy.code, "created": True},
        )
    if form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.error_report_submit(
                agency=site.agency,
                page_url=data["page_url"],
                error_type=data["error_type"],
                description=data["description"],
                contact=data["contact"],
                submission_token=data["token"],
                ip=client_ip(request) or "",
            )
        except services.RateLimited as exc:
            form.add_error(None, exc)
            status = 429
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            return render(
                request,
                "engagement/public/report_done.html",
                {
                    **context,
                    "reference": submitted.report.reference,
                    "check_code": submitted.check_code,
                    "created": submitted.created,
                },
            )
    return render(
        request, "engagement/public/report_form.html", {**context, "form": form}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_error_status(request, agency):
    site = _site(agency)
    context = {"site": site, "agency": site.agency, "nav": "report-error"}
    if request.method == "GET":
        form = forms.ErrorLookupForm(initial={"reference": request.GET.get("reference", "")})
        return render(request, "engagement/public/report_status.html", {**context, "form": form})
    form = forms.ErrorLookupForm(request.POST)
    report = None
    status = 400
    if form.is_valid():
        try:
            report = services.error_report_status_lookup(
                agency=site.agency,
                reference=form.cleaned_data["reference"],
                code=form.cleaned_data["code"],
                ip=client_ip(request) or "",
            )
        except services.RateLimited as exc:
            form.add_error(None, exc)
            status = 429
        else:
            if report is None:
                # The same answer whether the reference or the code is wrong.
                form.add_error(None, _("No report matches this reference number and check code."))
    if report is not None:
        status = 200
    return render(
        request,
        "engagement/public/report_status.html",
        {**context, "form": form, "report": report},
        status=status,
    )
