"""Demo applications (依申请公开) of 六横镇, 2025–2026, in every status.

Everything goes through the real services with explicit dates (`submitted_at`, `received_on`,
`on=` …), so the numbers, letters, clock events and audit trail are the ones real use gives.
The steps of all applications are replayed in date order, so application and letter numbers
rise with their dates as they would have. A step dated after today is left out (the data is
fixed in 2025–2026; loaded before late November 2026, the newest cases stop earlier).

Applicants are fictional: names are made up, identity card numbers carry the region code
330903 (普陀区) and valid check characters, credit codes valid check characters, phone
numbers are in the 0580-000xxxx / 1380000xxxx placeholder ranges.

The applicants and applications with their dated steps are data (demo_data/applicants.toml,
demo_data/applications.toml); this module maps them to the services.

Idempotent: each application is identified by its submission token ("demo-NN"); an application
that exists is left alone with all its steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core import demodata
from gongkai.core.models import Agency, User
from gongkai.core.validators import uscc_check_character
from gongkai.privacy.checks import id_check_char

from . import services
from .models import Application, ApplicationSettings, Consultation
from .outcomes import Outcome
from .taxonomy import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    ConsultationKind,
    ConsultationReply,
    DeliveryMethod,
    FeeSchedule,
    IdType,
    InformationForm,
)

D = date.fromisoformat


def demo_id_number(birth: str, serial: str) -> str:
    """A fictional resident identity card number of 普陀区 (330903) with a valid check digit."""
    body = f"330903{birth}{serial}"
    return body + id_check_char(body)


def demo_credit_code(org_code: str) -> str:
    """A fictional unified social credit code of an enterprise (9 1) registered in 普陀区."""
    first17 = f"91330903{org_code}"
    return first17 + uscc_check_character(first17)


# --- applicants (demo_data/applicants.toml) ------------------------------------------------


@dataclass(frozen=True)
class ApplicantSpec:
    key: str
    type: str = field(metadata=demodata.choices(ApplicantType))
    name: str
    phone: str
    by: str  # EMAIL or POST
    birth: str = ""  # a person: the ID number's birth date and serial
    serial: str = ""
    org_code: str = ""  # an organisation: its credit code's organisation code
    contact_person: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""


BY = {
    "EMAIL": {"forms": [InformationForm.EMAIL], "delivery": DeliveryMethod.EMAIL},
    "POST": {"forms": [InformationForm.PAPER], "delivery": DeliveryMethod.POST},
}


def _applicant(spec: ApplicantSpec, where: str) -> dict:
    if spec.by not in BY:
        raise demodata.DemoDataError(f"{where}: by should be one of {', '.join(BY)}")
    if spec.type == ApplicantType.NATURAL_PERSON:
        if not (spec.birth and spec.serial):
            raise demodata.DemoDataError(f"{where}: a person needs birth and serial")
        data = {
            "applicant_type": ApplicantType(spec.type),
            "applicant_name": spec.name,
            "id_type": IdType.RESIDENT_ID,
            "id_number": demo_id_number(spec.birth, spec.serial),
        }
    else:
        if not spec.org_code:
            raise demodata.DemoDataError(f"{where}: an organisation needs org_code")
        data = {
            "applicant_type": ApplicantType(spec.type),
            "applicant_name": spec.name,
            "id_type": IdType.CREDIT_CODE,
            "id_number": demo_credit_code(spec.org_code),
            "contact_person": spec.contact_person,
        }
    data["phone"] = spec.phone
    data.update({k: getattr(spec, k) for k in ("email", "address", "postcode") if getattr(spec, k)})
    return {**data, **BY[spec.by]}


def _applicants() -> dict[str, dict]:
    doc = demodata.read(__package__, "applicants.toml")
    specs = demodata.records(doc, "applicant", ApplicantSpec)
    return {spec.key: _applicant(spec, f"{doc.name}: [[applicant]] {spec.key}") for spec in specs}


APPLICANTS = _applicants()


# --- steps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One move on a demo application, dated."""

    on: date
    action: str
    params: dict = field(default_factory=dict)


REQUIRED = object()
# What each step of the data file may say (and the defaults of what it leaves out).
STEP_PARAMS: dict[str, dict] = {
    "confirm": {},
    "assign": {},
    "correction": {"items": REQUIRED},
    "corrected": {"text": REQUIRED},
    "consult": {"kind": REQUIRED, "addressee": REQUIRED},
    "close": {"reply": REQUIRED, "note": ""},
    "extend": {"days": REQUIRED, "reason": REQUIRED},
    "fee": {"pages": REQUIRED},
    "paid": {"receipt_number": REQUIRED},
    "reply": {"outcome": REQUIRED, "reason": "", "on_the_spot": None},
    "withdraw": {"note": REQUIRED},
    "lapse_correction": {},
    "lapse_fee": {},
    "archive": {},
    "appeal": {"kind": REQUIRED, "body": REQUIRED, "case_number": REQUIRED},
    "decide": {"result": REQUIRED, "note": ""},
}
# Parameters that name a choice (by its name or value in the file).
STEP_CHOICES = {
    ("reply", "outcome"): Outcome,
    ("consult", "kind"): ConsultationKind,
    ("close", "reply"): ConsultationReply,
    ("appeal", "kind"): AppealKind,
    ("decide", "result"): AppealResult,
}


def _step(entry, where: str) -> Step:
    if not isinstance(entry, dict):
        raise demodata.DemoDataError(f"{where}: expected a table")
    entry = dict(entry)
    on, action = entry.pop("on", None), entry.pop("action", None)
    if action not in STEP_PARAMS:
        raise demodata.DemoDataError(
            f"{where}: action {action!r} is not one of {', '.join(STEP_PARAMS)}"
        )
    where = f"{where} ({action})"
    if not isinstance(on, date) or isinstance(on, datetime):
        raise demodata.DemoDataError(f"{where}: on should be a date (YYYY-MM-DD)")
    allowed = STEP_PARAMS[action]
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        raise demodata.DemoDataError(f"{where}: unknown key {', '.join(unknown)}")
    params = {}
    for key, default in allowed.items():
        if key in entry:
            value = entry[key]
            kind = STEP_CHOICES.get((action, key))
            params[key] = kind(demodata.choice(value, kind, f"{where}: {key}")) if kind else value
        elif default is REQUIRED:
            raise demodata.DemoDataError(f"{where}: missing {key}")
        elif default is not None:
            params[key] = default
    return Step(on, action, params)


# --- applications (demo_data/applications.toml) ---------------------------------------------


@dataclass(frozen=True)
class DemoApplication:
    key: str  # the submission token is "demo-" + key
    applicant: str
    channel: str
    submitted: str  # date of arrival; receipt is that day for in person, post and oral
    information: str
    steps: tuple[Step, ...] = ()
    document_number: str = ""


@dataclass(frozen=True)
class ApplicationSpec:
    key: str
    applicant: str
    channel: str = field(metadata=demodata.choices(Channel))
    submitted: date
    information: str
    document_number: str = ""
    step: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Seed2018Spec:
    key: str
    applicant: str
    submitted: date
    information: str
    outcome: str = field(metadata=demodata.choices(Outcome))


def _applications(doc: demodata.Document) -> list[DemoApplication]:
    seed = doc.get("seed_2018", {})
    channel = demodata.choice(seed.get("channel", ""), Channel, f"{doc.name}: [seed_2018]")
    after = timedelta(days=seed.get("reply_after_days", 14))
    applications = []
    # 2018: answered (not ours: with the reason) and archived the same day
    for spec in demodata.records(
        demodata.Document(seed, f"{doc.name}: seed_2018"), "application", Seed2018Spec
    ):
        outcome = Outcome(spec.outcome)
        reason = seed["not_responsible"] if outcome == Outcome.NOT_RESPONSIBLE else ""
        replied = spec.submitted + after
        steps = (
            Step(replied, "reply", {"outcome": outcome, "reason": reason}),
            Step(replied, "archive"),
        )
        applications.append(
            DemoApplication(
                spec.key,
                spec.applicant,
                Channel(channel),
                spec.submitted.isoformat(),
                spec.information,
                steps,
            )
        )
    for number, spec in enumerate(demodata.records(doc, "application", ApplicationSpec), 1):
        where = f"{doc.name}: [[application]] #{number} ({spec.key})"
        if spec.applicant not in APPLICANTS:
            raise demodata.DemoDataError(f"{where}: unknown applicant {spec.applicant!r}")
        steps = tuple(_step(entry, f"{where}: step #{n}") for n, entry in enumerate(spec.step, 1))
        applications.append(
            DemoApplication(
                spec.key,
                spec.applicant,
                Channel(spec.channel),
                spec.submitted.isoformat(),
                spec.information,
                steps,
                spec.document_number,
            )
        )
    return applications


_DATA = demodata.read(__package__, "applications.toml")
AGENCY: str = _DATA["agency"]
OFFICER: str = _DATA["officer"]
HEAD: str = _DATA["head"]
ADMIN: str = _DATA["admin"]
SUBMISSION_PREFIX: str = _DATA["submission_prefix"]  # submission tokens: "demo-01" …
SETTINGS: dict = _DATA["settings"]
APPLICATIONS: list[DemoApplication] = _applications(_DATA)


# --- loading ------------------------------------------------------------------------------


@dataclass
class LoadResult:
    created: int = 0
    existing: int = 0
    skipped_steps: int = 0
    flags: dict[str, int] = field(default_factory=dict)


Progress = Callable[[str], None]


def demo_size() -> int:
    return len(APPLICATIONS)


def _submitted_at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


@transaction.atomic
def load_applications_demo(
    *, progress: Progress | None = None, today: date | None = None
) -> LoadResult:
    """Create the demo applications that do not exist yet, through the services, in date order;
    then flag what is near due or overdue (the daily tick)."""
    today = today or timezone.localdate()
    agency = Agency.objects.get(slug=AGENCY)
    officer = User.objects.get(username=OFFICER)
    head = User.objects.get(username=HEAD)
    result = LoadResult()
    if not ApplicationSettings.objects.filter(agency=agency).exists():
        # The letter numbers the town uses: 六横依申〔2026〕第N号; its letters carry a 红头 and
        # name the 党政综合办公室 as the contact (the town signs them).
        services.application_settings_update(
            actor=User.objects.get(username=ADMIN),
            agency=agency,
            data=dict(SETTINGS),
        )
    tokens = {SUBMISSION_PREFIX + spec.key for spec in APPLICATIONS}
    existing = set(
        Application.objects.filter(agency=agency, submission_token__in=tokens).values_list(
            "submission_token", flat=True
        )
    )
    # (date, order, spec, step): submission first on its day, then the steps in their order.
    timeline: list[tuple[date, int, DemoApplication, Step | None]] = []
    for spec in APPLICATIONS:
        if SUBMISSION_PREFIX + spec.key in existing:
            result.existing += 1
            continue
        timeline.append((D(spec.submitted), 0, spec, None))
        timeline.extend((step.on, n, spec, step) for n, step in enumerate(spec.steps, 1))
    timeline.sort(key=lambda entry: (entry[0], entry[2].submitted, entry[1]))

    made: dict[str, Application] = {}
    for on, _order, spec, step in timeline:
        if on > today:
            result.skipped_steps += 1
            continue
        if step is None:
            made[spec.key] = _submit(spec, agency, officer)
            result.created += 1
            if progress:
                progress(made[spec.key].number)
            continue
        application = made.get(spec.key)
        if application is None:  # submitted after today: nothing to do
            result.skipped_steps += 1
            continue
        _apply(step, Application.objects.get(pk=application.pk), officer=officer, head=head)
    if result.created:
        result.flags = services.applications_tick(on=today)
    return result


def _submit(spec: DemoApplication, agency: Agency, officer: User) -> Application:
    data = dict(APPLICANTS[spec.applicant])
    data.update(information=spec.information, document_number=spec.document_number)
    online = spec.channel == Channel.ONLINE
    day = D(spec.submitted)
    submitted = services.application_submit(
        agency=agency,
        data=services.ApplicationInput(**data),
        channel=spec.channel,
        actor=None if online else officer,
        received_on=None
        if spec.channel in (Channel.ONLINE, Channel.FAX, Channel.POST_PLAIN)
        else day,
        submission_token=SUBMISSION_PREFIX + spec.key,
        submitted_at=_submitted_at(day),
    )
    return submitted.application


def _apply(step: Step, application: Application, *, officer: User, head: User) -> None:
    on, params = step.on, step.params
    match step.action:
        case "confirm":
            services.application_confirm_receipt(
                actor=officer, application=application, received_on=on
            )
        case "assign":
            services.application_assign(actor=head, application=application, handler=officer, on=on)
        case "correction":
            services.application_request_correction(
                actor=officer, application=application, items=params["items"], on=on
            )
        case "corrected":
            services.application_receive_correction(
                actor=officer, application=application, text=params["text"], on=on
            )
        case "consult":
            services.consultation_start(
                actor=officer, application=application, sent_on=on, **params
            )
        case "close":
            consultation = Consultation.objects.filter(
                application=application, answered_on__isnull=True
            ).first()
            services.consultation_close(
                actor=officer, consultation=consultation, answered_on=on, **params
            )
        case "extend":
            services.application_extend(actor=head, application=application, on=on, **params)
        case "fee":
            services.fee_notify(
                actor=officer,
                application=application,
                schedule=FeeSchedule.PER_PAGE,
                pages=params["pages"],
                on=on,
            )
        case "paid":
            services.fee_record_payment(
                actor=officer, application=application, paid_on=on, **params
            )
        case "reply":
            services.application_reply(actor=officer, application=application, on=on, **params)
        case "withdraw":
            services.application_withdraw(
                actor=officer, application=application, on=on, note=params["note"]
            )
        case "lapse_correction":
            services.application_lapse_correction(actor=officer, application=application, on=on)
        case "lapse_fee":
            services.fee_lapse(actor=officer, application=application, on=on)
        case "archive":
            services.application_archive(actor=officer, application=application)
        case "appeal":
            services.appeal_record(actor=officer, application=application, filed_on=on, **params)
        case "decide":
            appeal = application.appeals.order_by("-filed_on", "-id").first()
            services.appeal_decide(actor=officer, appeal=appeal, decided_on=on, **params)
        case _:
            raise ValueError(f"unknown demo step {step.action!r}")


def run_demo(out) -> None:
    """The applications' part of `gongkai demo` (registered in apps.py; core/demos.py)."""
    applications = load_applications_demo()
    out.print(
        gettext("Applications: %(created)d created, %(existing)d already there.")
        % {"created": applications.created, "existing": applications.existing}
    )
