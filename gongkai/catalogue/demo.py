"""Demo catalogue: 六横镇's columns, channels and items as its 2018 annual report describes them
(重点领域 and 政府信息公开 with their 二级栏目; the website, 2 政务微博 and 6 政务微信), and a few
items of 桃花镇 so that tenancy shows.

Everything goes through the real services: items are created and submitted by the editor,
approved by a reviewer (which gives the 索引号), published, withdrawn, masked. Dates are fixed
(成文日期 in 2025–2026), so the data is the same on every machine; published items carry their
historical date through the system-only `published_at` of `services.item_publish`. What the
current date decides is only which unpublished items are past the 20 working days of 第二十六条
(some drafts and pending items are, from late 2026 on).

The columns, channels and items are data (demo_data/structure.toml, demo_data/items.toml); this
module maps them to the services. Loading is idempotent: an item is identified by its agency and title, a column by its parent and
name, a channel by its kind and name; what exists is left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core import demodata
from gongkai.core import services as core_services
from gongkai.core.demo import DEMO_PASSWORD, DemoUser
from gongkai.core.models import Agency, Role, User
from gongkai.core.selectors import current_work_calendar
from gongkai.core.workdays import CalendarYearMissing

from . import services
from .models import Channel, Column, Item
from .taxonomy import ChannelKind, ColumnType, Genre, PrivacyOverrideReason, Validity

# Item states the loader drives an item to.
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
SCHEDULED = "scheduled"  # approved, waiting for its scheduled time
PENDING = "pending"
RETURNED = "returned"  # submitted, then returned to the author with a comment (a draft again)
DRAFT = "draft"
STATES = (PUBLISHED, WITHDRAWN, SCHEDULED, PENDING, RETURNED, DRAFT)

ALL_CHECKS = services.ReviewChecks(secrecy=True, privacy=True, wording=True)


@dataclass(frozen=True)
class ItemSpec:
    agency: str
    column: str
    title: str
    formed_on: date
    genre: str
    body: str
    topic: str = "综合政务"
    document_number: str = ""
    publisher: str = ""
    validity: str = Validity.VALID
    valid_from: date | None = None
    invalid_on: date | None = None
    state: str = PUBLISHED
    lag: int = 2  # working days from 成文日期 to publication
    channels: tuple[tuple[str, str], ...] = ()  # other channels that carried it, same day
    mask: bool = False  # the author masks personal data before submitting
    override: str = ""  # personal data published on purpose: the reviewer's reason
    note: str = ""  # override note, return comment or withdrawal reason


def p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# --- the data files (demo_data/structure.toml, demo_data/items.toml) ------------------------


@dataclass(frozen=True)
class UserRecord:
    username: str
    last_name: str
    first_name: str
    agency: str
    role: str = field(metadata=demodata.choices(Role))


@dataclass(frozen=True)
class ActorsRecord:
    author: str
    reviewer: str
    officer: str  # who withdraws


@dataclass(frozen=True)
class ChildColumnRecord:
    name: str
    type: str = field(metadata=demodata.choices(ColumnType))


@dataclass(frozen=True)
class ColumnRecord:
    name: str
    type: str = field(metadata=demodata.choices(ColumnType))
    children: tuple[ChildColumnRecord, ...] = ()


@dataclass(frozen=True)
class ChannelRecord:
    kind: str = field(metadata=demodata.choices(ChannelKind))
    name: str
    account: str


@dataclass(frozen=True)
class ItemRecord:
    agency: str
    column: str
    title: str
    formed_on: date
    genre: str = field(metadata=demodata.choices(Genre))
    paragraphs: tuple[str, ...] = ()  # the body as <p> paragraphs …
    body: str = ""  # … or as HTML
    topic: str = "综合政务"
    document_number: str = ""
    publisher: str = ""
    validity: str = field(default=Validity.VALID, metadata=demodata.choices(Validity))
    valid_from: date | None = None
    invalid_on: date | None = None
    state: str = PUBLISHED
    lag: int = 2
    channels: tuple[tuple[str, str], ...] = ()  # [kind, name]
    mask: bool = False
    override: str = field(default="", metadata=demodata.choices(PrivacyOverrideReason))
    note: str = ""


def _item(record: ItemRecord, where: str) -> ItemSpec:
    if bool(record.paragraphs) == bool(record.body):
        raise demodata.DemoDataError(f"{where}: give either paragraphs or body")
    if record.state not in STATES:
        raise demodata.DemoDataError(f"{where}: state should be one of {', '.join(STATES)}")
    channels = tuple(
        (demodata.choice(kind, ChannelKind, f"{where}: channels"), name)
        for kind, name in record.channels
    )
    return ItemSpec(
        record.agency,
        record.column,
        record.title,
        record.formed_on,
        Genre(record.genre),
        p(*record.paragraphs) if record.paragraphs else record.body,
        topic=record.topic,
        document_number=record.document_number,
        publisher=record.publisher,
        validity=record.validity,
        valid_from=record.valid_from,
        invalid_on=record.invalid_on,
        state=record.state,
        lag=record.lag,
        channels=channels,
        mask=record.mask,
        override=record.override,
        note=record.note,
    )


_STRUCTURE = demodata.read(__package__, "structure.toml")
# Users the catalogue needs beyond core's demo users: 桃花镇 needs an author besides its officer
# for the four-eyes review.
CATALOGUE_USERS = [
    DemoUser(u.username, u.last_name, u.first_name, u.agency, Role(u.role))
    for u in demodata.records(_STRUCTURE, "user", UserRecord)
]
# Who writes and who reviews, per agency: (author, reviewer, officer who withdraws).
_ACTORS = demodata.Document(_STRUCTURE.get("actors", {}), f"{_STRUCTURE.name}: actors")
ACTORS = {
    slug: (a.author, a.reviewer, a.officer)
    for slug, a in ((slug, demodata.record(_ACTORS, slug, ActorsRecord)) for slug in _ACTORS)
}
# (root, type, [(child, type), …]) per agency.
COLUMNS = {
    slug: [
        (root.name, ColumnType(root.type), [(c.name, ColumnType(c.type)) for c in root.children])
        for root in demodata.records(
            demodata.Document(_STRUCTURE["column"], f"{_STRUCTURE.name}: column"),
            slug,
            ColumnRecord,
        )
    ]
    for slug in _STRUCTURE["column"]
}
# (kind, name, account) per agency; the website is services.website_channel().
CHANNELS = {
    slug: [
        (ChannelKind(c.kind), c.name, c.account)
        for c in demodata.records(
            demodata.Document(_STRUCTURE.get("channel", {}), f"{_STRUCTURE.name}: channel"),
            slug,
            ChannelRecord,
            required=False,
        )
    ]
    for slug in COLUMNS
}
# How long after today an approved item is scheduled for (demodata.offset).
SCHEDULED_IN: str = _STRUCTURE["scheduled"]

_ITEMS = demodata.read(__package__, "items.toml")
ITEMS: list[ItemSpec] = [
    _item(record, f"{_ITEMS.name}: [[item]] #{number} ({record.title[:30]})")
    for number, record in enumerate(demodata.records(_ITEMS, "item", ItemRecord), 1)
]


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    users: list[DemoUser] = field(default_factory=lambda: list(CATALOGUE_USERS))


Progress = Callable[[str], None]


def demo_size() -> int:
    """The number of steps `load_catalogue_demo` reports (for a progress bar)."""
    columns = sum(1 + len(children) for roots in COLUMNS.values() for _, _, children in roots)
    channels = sum(1 + len(specs) for specs in CHANNELS.values())
    return len(CATALOGUE_USERS) + columns + channels + len(ITEMS)


@transaction.atomic
def load_catalogue_demo(*, progress: Progress | None = None) -> LoadResult:
    """Create the demo catalogue; leave what exists alone. Needs core's `load_demo` first."""
    step = progress or (lambda label: None)
    result = LoadResult()
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=COLUMNS)}
    missing = set(COLUMNS) - set(agencies)
    if missing:
        raise RuntimeError(f"Load the core demo first (missing agencies: {sorted(missing)}).")
    _load_users(agencies, result, step)
    users = {u.username: u for u in User.objects.filter(username__in=_actor_names())}
    columns = {slug: _load_columns(agencies[slug], result, step) for slug in COLUMNS}
    channels = {slug: _load_channels(agencies[slug], result, step) for slug in CHANNELS}
    existing = set(
        Item.objects.filter(agency__in=agencies.values()).values_list("agency__slug", "title")
    )
    calendar = current_work_calendar()
    # Oldest first, so that the 索引号 serials follow the dates.
    for spec in sorted(ITEMS, key=lambda s: (s.formed_on, s.title)):
        if (spec.agency, spec.title) not in existing:
            author, reviewer, officer = (users[name] for name in ACTORS[spec.agency])
            _load_item(
                spec,
                agency=agencies[spec.agency],
                column=columns[spec.agency][spec.column],
                channels=channels[spec.agency],
                author=author,
                reviewer=reviewer,
                officer=officer,
                published_at=_publication_time(spec, calendar),
                result=result,
            )
        step(spec.title)
    return result


def _actor_names() -> set[str]:
    return {name for names in ACTORS.values() for name in names}


def _load_users(agencies: dict[str, Agency], result: LoadResult, step: Progress) -> None:
    for spec in CATALOGUE_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = core_services.user_create(
                actor=None,
                username=spec.username,
                password=DEMO_PASSWORD,
                last_name=spec.last_name,
                first_name=spec.first_name,
            )
            result.created["users"] += 1
        core_services.membership_grant(
            actor=None, user=user, agency=agencies[spec.agency], role=spec.role
        )
        step(spec.username)


def _load_columns(agency: Agency, result: LoadResult, step: Progress) -> dict[str, Column]:
    """The agency's demo columns by name (names are unique within one agency's demo tree)."""
    existing = {(c.parent_id, c.name): c for c in Column.objects.filter(agency=agency)}
    by_name: dict[str, Column] = {}

    def ensure(name: str, column_type: str, parent: Column | None, position: int) -> Column:
        column = existing.get((parent.pk if parent else None, name))
        if column is None:
            column = services.column_create(
                actor=None,
                agency=agency,
                name=name,
                column_type=column_type,
                parent=parent,
                position=position,
            )
            result.created["columns"] += 1
        by_name[name] = column
        step(name)
        return column

    for root_position, (root_name, root_type, children) in enumerate(COLUMNS[agency.slug], 1):
        root = ensure(root_name, root_type, None, root_position)
        for position, (name, column_type) in enumerate(children, 1):
            ensure(name, column_type, root, position)
    return by_name


def _load_channels(agency: Agency, result: LoadResult, step: Progress) -> dict[tuple, Channel]:
    if not Channel.objects.filter(agency=agency, kind=ChannelKind.WEBSITE).exists():
        result.created["channels"] += 1
    services.website_channel(agency)
    step(agency.short_name)
    existing = {(c.kind, c.name): c for c in Channel.objects.filter(agency=agency)}
    for kind, name, account in CHANNELS[agency.slug]:
        if (kind, name) not in existing:
            existing[(kind, name)] = services.channel_create(
                actor=None, agency=agency, kind=kind, name=name, account=account
            )
            result.created["channels"] += 1
        step(name)
    return existing


def _publication_time(spec: ItemSpec, calendar) -> datetime:
    """`lag` working days after 成文日期, in office hours; never in the future."""
    try:
        day = calendar.add_workdays(spec.formed_on, spec.lag)
    except CalendarYearMissing:
        day = spec.formed_on + timedelta(days=spec.lag)
    minutes = sum(map(ord, spec.title)) % 420  # 9:00–16:00, stable per item
    moment = timezone.make_aware(datetime.combine(day, time(9)) + timedelta(minutes=minutes))
    return min(moment, timezone.now())


def _load_item(
    spec: ItemSpec,
    *,
    agency: Agency,
    column: Column,
    channels: dict[tuple, Channel],
    author: User,
    reviewer: User,
    officer: User,
    published_at: datetime,
    result: LoadResult,
) -> None:
    fields = {
        "body": spec.body,
        "topic": spec.topic,
        "document_number": spec.document_number,
        "publisher": spec.publisher,
        "validity": spec.validity,
        "valid_from": spec.valid_from,
        "invalid_on": spec.invalid_on,
    }
    item = services.item_create(
        actor=author,
        agency=agency,
        column=column,
        title=spec.title,
        formed_on=spec.formed_on,
        genre=spec.genre,
        **fields,
    )
    result.created["items"] += 1
    if spec.state == DRAFT:
        return
    if spec.mask:
        item = services.item_mask_findings(actor=author, item=item)
    item = services.item_submit(actor=author, item=item, request_override=bool(spec.override))
    if spec.state == PENDING:
        return
    if spec.state == RETURNED:
        services.item_reject(actor=reviewer, item=item, comment=spec.note, checks=ALL_CHECKS)
        return
    scheduled_at = None
    if spec.state == SCHEDULED:
        start = demodata.offset(SCHEDULED_IN, timezone.localdate(), where="structure.toml")
        scheduled_at = timezone.make_aware(datetime.combine(start, time(9)))
    item = services.item_approve(
        actor=reviewer,
        item=item,
        checks=ALL_CHECKS,
        privacy_override=spec.override,
        privacy_override_note=spec.note if spec.override else "",
        scheduled_at=scheduled_at,
    )
    if spec.state == SCHEDULED:
        return
    item = services.item_publish(actor=None, item=item, published_at=published_at)
    for key in spec.channels:
        services.publication_record(
            actor=author,
            item=item,
            channel=channels[key],
            published_on=timezone.localdate(published_at),
        )
        result.created["publications"] += 1
    if spec.state == WITHDRAWN:
        services.item_withdraw(actor=officer, item=item, reason=spec.note)


def run_demo(out) -> list[DemoUser]:
    """The catalogue's part of `gongkai demo` (registered in apps.py; core/demos.py)."""
    with out.progress(gettext("Catalogue"), demo_size()) as advance:
        catalogue = load_catalogue_demo(progress=advance)
    created = catalogue.created
    out.print(
        gettext(
            "Catalogue: %(columns)d columns, %(channels)d channels, %(items)d items and "
            "%(publications)d publications on other channels created."
        )
        % {
            "columns": created["columns"],
            "channels": created["channels"],
            "items": created["items"],
            "publications": created["publications"],
        }
    )
    return catalogue.users
