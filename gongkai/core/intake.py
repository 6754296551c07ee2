"""The public intake: what every form the public may send without logging in shares
(依申请公开, 找错, and any later one), so that they all behave alike.

- A submission token (a hidden field filled when the form is shown) makes a submission
  idempotent: the same token twice gives the first record back, even when a double click races
  the first request past the check (`find_submitted`, `register_once`).
- One limiter per network for submissions and failed look-ups (gongkai.core.throttle): checked
  before the work, counted when it was done (`register_once`, `lookup`).
- Look-up codes (查询码, check codes) are shown once and stored only as keyed hashes
  (`LookupCode`, on gongkai.core.codes).
- The honeypot: a field people never see and robots fill in. A robot is answered exactly like a
  person whose submission was taken (a number and a code shaped like real ones, stored nowhere):
  it must never learn it was recognised. The attempt is still recorded as an audit event
  (`decoy_answer`).

Each app keeps its own rules (what a submission must contain, how its number is formed, its
rates and their messages) and calls these functions from its services.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy

from . import codes, throttle
from .audit import audit_record
from .models import Agency

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

TOKEN_MAX_LENGTH = 64  # the models' submission_token columns
HONEYPOT_FIELD = "website"  # must not invite a browser's autofill
DECOY_VERB = "intake.decoy"
DECOY_SERIALS = 900  # a decoy's serial is drawn from 1..DECOY_SERIALS


# --- the submission token -----------------------------------------------------------------


def new_token() -> str:
    """A fresh submission token for a form being shown."""
    return uuid.uuid4().hex


def token_field() -> forms.CharField:
    """The hidden form field that carries the submission token."""
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=TOKEN_MAX_LENGTH)


def find_submitted(queryset: models.QuerySet[M], token: str) -> M | None:
    """The record already taken with this submission token (queryset: the agency's records
    of the kind, with a `submission_token` field), or None; no token never matches."""
    if not token:
        return None
    return queryset.filter(submission_token=token).first()


def register_once(
    *,
    register: Callable[[], T],
    queryset: models.QuerySet[M],
    token: str,
    again: Callable[[M], T],
    rate: throttle.Rate | None = None,
    ip: str = "",
) -> T:
    """Run `register` (which creates the record and allocates its number) in a savepoint and,
    when `rate` is given, count the submission against it. When a submission with the same
    token raced this one past `find_submitted` (the unique constraint on agency and token
    fails), answer `again(first record)`; any other IntegrityError is raised."""
    try:
        with transaction.atomic():
            result = register()
            if rate is not None:
                throttle.throttle_hit(rate=rate, ip=ip)
            return result
    except IntegrityError:
        existing = find_submitted(queryset, token)
        if existing is None:
            raise
        return again(existing)


# --- look-up codes ------------------------------------------------------------------------


@dataclass(frozen=True)
class LookupCode:
    """A code the public types back to reach their own record, stored hashed in `field` with
    the record's key; `purpose` is the hash's key salt and must never change."""

    purpose: str
    field: str

    def issue(self, record: models.Model, *, also: tuple[str, ...] = ()) -> str:
        """A new code for a saved record: its hash stored (with the fields in `also`), the
        code returned to be shown once."""
        code = codes.new_code()
        setattr(record, self.field, codes.hash_code(self.purpose, record.pk, code))
        record.save(update_fields=[self.field, *also])
        return code

    def matches(self, record: models.Model, code: str) -> bool:
        """Whether `code` (any case, surrounding space ignored) is the record's code."""
        return codes.code_matches(getattr(record, self.field), self.purpose, record.pk, code)


def lookup(
    *,
    rate: throttle.Rate,
    ip: str,
    find: Callable[[], M | None],
    code: str,
    kind: LookupCode,
    failed: Callable[[M | None], object] | None = None,
) -> M | None:
    """The record `find` returns when `code` is its code, else None (the same answer whether
    the record or the code is wrong). Refused (throttle.RateLimited) once `ip` has failed
    `rate.limit` times within the window; every failure counts, so codes cannot be guessed.
    `failed(record found or None)` is called on a failure (to record it, say)."""
    throttle.throttle_check(rate=rate, ip=ip)
    record = find()
    if record is not None and kind.matches(record, code):
        return record
    throttle.throttle_hit(rate=rate, ip=ip)
    if failed is not None:
        failed(record)
    return None


# --- the honeypot and its decoy -----------------------------------------------------------


def honeypot_field(**widget_attrs: str) -> forms.CharField:
    """The honeypot field, named HONEYPOT_FIELD on a form; its template hides it from people
    and assistive technology and keeps it out of the tab order."""
    return forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs=widget_attrs) if widget_attrs else None,
    )


def is_robot(honeypot: str | None) -> bool:
    """Whether the honeypot field was filled in."""
    return bool((honeypot or "").strip())


@dataclass(frozen=True)
class Decoy:
    """What a robot is shown: a number and a code shaped like real ones, stored nowhere."""

    number: str
    code: str


def decoy_answer(*, agency: Agency, form: str, ip: str, number: Callable[[int], str]) -> Decoy:
    """The answer to a submission that filled the honeypot, the same on every public form: a
    success like a person's, with `number(serial)` for a random serial and a fresh code. No
    record is made; an audit event (DECOY_VERB, naming `form` and a hash of the address) keeps
    a trace of the attempt."""
    decoy = Decoy(number=number(secrets.randbelow(DECOY_SERIALS) + 1), code=codes.new_code())
    audit_record(
        actor=None,
        verb=DECOY_VERB,
        agency=agency,
        object_type=form,
        after={"form": form, "ip_hash": codes.hash_ip("intake", ip)},
    )
    return decoy
