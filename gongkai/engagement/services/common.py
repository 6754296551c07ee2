"""What the engagement services share: the limits, the error, the clock and the input checks."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalogue.services import WorkflowError as CatalogueWorkflowError
from gongkai.core import intake, throttle

REFERENCE_PATTERN = "ZC-{year:04d}-{serial:04d}"
CHECK_CODE_PURPOSE = "engagement.check-code"  # the hashes' key salt: do not change
CHECK_CODE = intake.LookupCode(purpose=CHECK_CODE_PURPOSE, field="check_code_hash")
REPORTS_PER_IP_PER_HOUR = 5
LOOKUP_FAILURES_PER_HOUR = 10
SUBMIT_RATE = throttle.Rate(
    scope="engagement.submit",
    limit=REPORTS_PER_IP_PER_HOUR,
    window=timedelta(hours=1),
    message=gettext_lazy("Too many reports from this network in the last hour; try again later."),
)
LOOKUP_RATE = throttle.Rate(
    scope="engagement.lookup",
    limit=LOOKUP_FAILURES_PER_HOUR,
    window=timedelta(hours=1),
    message=gettext_lazy(
        "Too many unsuccessful look-ups from this network in the last hour; try again later."
    ),
)
DESCRIPTION_MAX = 2000

INCIDENT_FIELDS = frozenset(
    {"kind", "topic", "source", "first_seen_on", "level", "description", "handling"}
)
CONFERENCE_FIELDS = frozenset(
    {"held_on", "topic", "role", "speakers", "principal_attended", "venue", "incident"}
)
INTERPRETATION_FIELDS = frozenset({"policy", "item", "title", "form", "published_on", "url"})


class WorkflowError(CatalogueWorkflowError):
    """A move the transitions table does not allow from the record's current status (the
    catalogue's kind of error, so that the API answers it with 409 like the catalogue's)."""


# One limiter for every public submission and look-up (gongkai.core.throttle).
RateLimited = throttle.RateLimited


def today() -> date:
    return timezone.localdate()


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > today():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="date")


def _unknown(data: dict, allowed: frozenset) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))


def _save(obj, **clean) -> None:
    obj.full_clean(**clean)
    obj.save()
