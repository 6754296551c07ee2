"""The public status page's look-up, and the answer to a bot."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gongkai.core import intake, throttle
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency

from .. import letters
from ..models import DEFAULT_NUMBER_PATTERN, Application
from .common import QUERY_CODE, hash_ip, settings_for

# --- the public status page (added with the public application pages) ----------------------

STATUS_LOOKUP_FAILED = "application.status_lookup_failed"
STATUS_LOOKUP_FAILURES_PER_HOUR = 10
LOOKUP_RATE = throttle.Rate(
    scope="applications.lookup",
    limit=STATUS_LOOKUP_FAILURES_PER_HOUR,
    window=timedelta(hours=1),
    message=gettext_lazy(
        "Too many unsuccessful look-ups from this network in the last hour; try again later."
    ),
)


@transaction.atomic
def application_status_lookup(
    *, agency: Agency, number: str, code: str, ip: str = ""
) -> Application | None:
    """The applicant's own application, by its number and 查询码; None when they do not match.

    Every failed lookup is recorded as an audit event carrying a hash of the client's address
    and counted by the public limiter: after STATUS_LOOKUP_FAILURES_PER_HOUR failures from one
    address within an hour, every lookup from it is refused (RateLimited), so that query codes
    cannot be guessed."""
    from ..selectors import find_for_applicant

    def failed(application: Application | None) -> None:
        audit_record(
            actor=None,
            verb=STATUS_LOOKUP_FAILED,
            agency=agency,
            object_type="applications.application",
            object_id=str(application.pk) if application is not None else "",
            object_repr=(number or "").strip()[:40],
            after={"ip_hash": hash_ip(ip)},
        )

    return intake.lookup(
        rate=LOOKUP_RATE,
        ip=ip,
        find=lambda: find_for_applicant(agency, number),
        code=code,
        kind=QUERY_CODE,
        failed=failed,
    )


def decoy_submission(*, agency: Agency, ip: str = "") -> intake.Decoy:
    """The answer to a submission that filled the form's honeypot (gongkai.core.intake): a
    number in the agency's pattern and a query code, stored nowhere."""
    year = timezone.localdate().year
    pattern = settings_for(agency).number_pattern or DEFAULT_NUMBER_PATTERN
    return intake.decoy_answer(
        agency=agency,
        form="applications.application",
        ip=ip,
        number=lambda serial: letters.format_number(pattern, prefix="", year=year, serial=serial),
    )
