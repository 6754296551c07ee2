"""六横镇's 2018 主动公开 as its 统计表 reports it, for the pre-2019 report to compute from.

The seed's table: 1132 items (each counted once), 614 on the website, 200 on 政务微博 and 318 on
政务微信 — 614 + 200 + 318 = 1132, so every item is on exactly one channel. The website's 614
follow the text's column list (工作动态122, 政策文件80, 公告公示394, 人事信息5, 应急管理1,
财政预算公开1, 年度工作报告1 — which adds up to 604, the seed's own inconsistency); the 10 the list
misses are put under 组织机构. The 518 new-media posts sit under 工作动态, spread over the
accounts as operations/demo.py records their 2018 posts (微博 150 + 50, 微信 120 + 60 + 48 + 30 +
36 + 24); they are not on the website (``Item.on_website``), so the portal lists the 614 only.

The 1132 items are historical records, bulk-created already published (no review trail; 索引号
serials 2018-00001… given here; indexed for search afterwards). 政策文件 items are 其他文件, not 行政规范性文件, so
that they do not count in a later year's 表二. The counts, topics and title templates are data (demo_data/items_2018.toml). Idempotent: an
item is identified by its title.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.catalogue import indexing
from gongkai.catalogue.models import (
    Channel,
    Column,
    IndexSequence,
    Item,
    ItemStatus,
    Publication,
)
from gongkai.catalogue.services import website_channel
from gongkai.catalogue.taxonomy import ChannelKind, Genre
from gongkai.core import demodata
from gongkai.core.models import Agency, User
from gongkai.search import indexing as search_indexing


@dataclass(frozen=True)
class WebsiteSpec:
    column: str
    genre: str = field(metadata=demodata.choices(Genre))
    count: int
    templates: tuple[str, ...]  # {t}: a topic


@dataclass(frozen=True)
class NewMediaSpec:
    channel_kind: str = field(metadata=demodata.choices(ChannelKind))
    channel: str
    posts: int


# The counts, topics and title templates: demo_data/items_2018.toml.
_DATA = demodata.read(__package__, "items_2018.toml")
YEAR: int = _DATA["year"]
AGENCY: str = _DATA["agency"]
AUTHOR: str = _DATA["author"]
_WEBSITE = demodata.records(_DATA, "website", WebsiteSpec)
# (column, genre, count) on the website
WEBSITE = [(w.column, w.genre, w.count) for w in _WEBSITE]
# (channel kind, channel name, posts) — new-media only, under 工作动态
NEW_MEDIA = [
    (n.channel_kind, n.channel, n.posts) for n in demodata.records(_DATA, "new_media", NewMediaSpec)
]
TOTAL = sum(n for *_, n in WEBSITE) + sum(n for *_, n in NEW_MEDIA)
BODY: str = _DATA["body"]


def _day(i: int, n: int) -> date:
    """The i-th of n dates spread over the year (working through the calendar evenly)."""
    return date(YEAR, 1, 2) + timedelta(days=(i * 360) // max(n, 1))


# Titles are composed from what a town of 六横's kind published in 2018; each (template, topic,
# month) gives one title, and the first free combination is taken, so every title is unique.
TOPICS: list[str] = _DATA["topics"]
TEMPLATES = {w.column: list(w.templates) for w in _WEBSITE}
NEW_MEDIA_TEMPLATES: list[str] = _DATA["new_media_templates"]


def _titles(templates: list[str], n: int, used: set[str]) -> list[str]:
    titles = []
    for i in range(len(templates) * len(TOPICS) * 12):
        if len(titles) == n:
            break
        template = templates[i % len(templates)]
        topic = TOPICS[(i // len(templates)) % len(TOPICS)]
        title = template.format(t=topic)
        round_ = i // (len(templates) * len(TOPICS))
        if round_:
            title += f"（{round_ + 1}）"
        if title not in used:
            used.add(title)
            titles.append(title)
    return titles


def _plan() -> list[tuple[str, str, str, date, tuple[str, str] | None]]:
    """(title, column, genre, date, channel or None for the website), in date order."""
    plan = []
    used: set[str] = set()
    for column, genre, n in WEBSITE:
        for i, title in enumerate(_titles(TEMPLATES[column], n, used)):
            plan.append((title, column, genre, _day(i, n), None))
    for kind, name, n in NEW_MEDIA:
        label = ChannelKind(kind).label
        for i, title in enumerate(_titles(NEW_MEDIA_TEMPLATES, n, used)):
            plan.append(
                (
                    f"【{label}·{name}】{title}",
                    "工作动态",
                    Genre.WORK_NEWS,
                    _day(i, n),
                    (kind, name),
                )
            )
    plan.sort(key=lambda p: (p[3], p[0]))
    return plan


def _body(title: str, day: date) -> str:
    return BODY.format(date=f"{day.year}年{day.month}月{day.day}日", title=title)


def load_reports_demo_2018() -> int:
    """Create the missing 2018 items and their publications; return how many items were made."""
    agency = Agency.objects.filter(slug=AGENCY).first()
    author = User.objects.filter(username=AUTHOR).first()
    if agency is None or author is None:
        raise RuntimeError("Load the core and catalogue demo first.")
    columns = {c.name: c for c in Column.objects.filter(agency=agency)}
    channels = {(c.kind, c.name): c for c in Channel.objects.filter(agency=agency)}
    plan = _plan()
    missing = {n for _t, n, *_ in plan if n not in columns} | {
        ch for *_, ch in plan if ch and ch not in channels
    }
    if missing:
        raise RuntimeError(f"Load the catalogue demo first (missing {sorted(map(str, missing))}).")
    tz = timezone.get_current_timezone()
    pattern = indexing.agency_index_pattern(agency)
    with transaction.atomic():
        website = website_channel(agency)
        existing = dict(
            Item.objects.filter(agency=agency, index_year=YEAR).values_list("title", "id")
        )
        serials = set(
            Item.objects.filter(agency=agency, index_year=YEAR).values_list(
                "index_serial", flat=True
            )
        )
        new = []
        serial = 0
        for title, column, genre, day, channel in plan:
            if title in existing:
                continue
            serial += 1
            while serial in serials:
                serial += 1
            new.append(
                Item(
                    agency=agency,
                    column=columns[column],
                    title=title,
                    body=_body(title, day),
                    formed_on=day,
                    published_at=datetime.combine(day, time(9, 0), tzinfo=tz),
                    genre=genre,
                    status=ItemStatus.PUBLISHED,
                    on_website=channel is None,
                    publisher=agency.name,
                    created_by=author,
                    approved_by=author,
                    index_year=YEAR,
                    index_serial=serial,
                    index_number=indexing.format_index_number(
                        pattern, uscc=agency.uscc, year=YEAR, serial=serial
                    ),
                )
            )
        Item.objects.bulk_create(new, batch_size=500)
        ids = dict(Item.objects.filter(agency=agency, index_year=YEAR).values_list("title", "id"))
        published = set(
            Publication.objects.filter(item_id__in=ids.values()).values_list("item_id", flat=True)
        )
        publications = [
            Publication(
                item_id=ids[title],
                channel=channels[channel] if channel else website,
                published_on=day,
                source=Publication.Source.IMPORTED,
            )
            for title, _column, _genre, day, channel in plan
            if ids[title] not in published
        ]
        Publication.objects.bulk_create(publications, batch_size=500)
        # The serials given here are taken: a later 2018 number must not repeat one.
        IndexSequence.objects.update_or_create(
            agency=agency, year=YEAR, defaults={"last_value": max(serials | {serial}, default=0)}
        )
    if new:
        # Published items are searchable; index these like any other (only the missing ones).
        search_indexing.reindex(stale_only=True)
    return len(new)
