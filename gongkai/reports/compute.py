"""Compute an annual report from the records: `compute_report(agency, year, fmt)`.

Every row of a format names its source (``Row.source``); SOURCES maps the name to a function of
(context, row) giving the row's figures per column key. The context memoises each selector's
result, so a report costs a bounded number of queries whatever the data size (pinned in
tests/test_compute.py). Rows marked ``entered`` take the staff's `ReportEntry` figures.

Definitions (our reading where the formats are silent):
- 表二 第二十条第（一）项 (2021): 本年制发件数 = 规章 / 行政规范性文件 items ever published whose
  成文日期 falls in the year; 本年废止件数 = those whose validity ended (失效 or 废止) in the year
  (``invalid_on``); 现行有效件数 = those formed by 12-31 and not expired or repealed by 12-31.
  (2019): 本年新制作数量 = formed in the year; 本年新公开数量 = published in the year;
  对外公开总数量 = published by 12-31 and not expired or repealed by then.
- 表三: the applications selectors (received_in, carried_over_from, concluded_in, outcome_rows).
- 表四 and pre-2019 四/五: appeals FILED in the year, with their result as of 12-31; one not
  decided by 12-31 counts as 尚未审结 (and in the pre-2019 table only in the total).
- pre-2019 一: items published on any channel in the year, each counted once; the channel rows
  count distinct items per channel kind (移动客户端 and 其他 together under 4.其他方式).
- pre-2019 三（二）: 申请办结数 = applications concluded in the year; one concluded by its due
  date counts as 2.延期办结数 when its reply was extended (an ``extended`` event), else as
  1.按时办结数 (so does one with no due date, e.g. ended by a lapsed 补正); one concluded late
  counts in neither (the sum check then shows it). When one was received before 2019-05-15
  (its due date is unknown, see applications.clock) both are blank.
  三（三）申请答复数 = the sum of its rows 1–8; 4.不同意公开答复数 = the sum of its 其中 rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from gongkai.applications import selectors as applications
from gongkai.applications.clock import IN_FORCE
from gongkai.applications.models import Appeal, ApplicationEvent
from gongkai.applications.outcomes import LEGACY_CHANNEL_ROWS
from gongkai.applications.taxonomy import AppealKind, AppealResult
from gongkai.catalogue import selectors as catalogue
from gongkai.catalogue.models import Item
from gongkai.catalogue.taxonomy import ChannelKind, Genre, Validity
from gongkai.core.models import Agency
from gongkai.engagement import selectors as engagement
from gongkai.operations import selectors as operations

from .formats import Format, Row, get
from .models import ReportEntry

Value = int | Decimal | None


@dataclass
class ComputedReport:
    format: str
    year: int
    agency: Agency
    cells: dict[str, Value]
    sources: dict[str, str]  # cell key → source name, or "entered"
    provisional_notes: list[str] = field(default_factory=list)
    entry_notes: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        """The import/export schema of the issue."""
        return {
            "format": self.format,
            "year": self.year,
            "agency": {"slug": self.agency.slug, "name": self.agency.name},
            "cells": {key: _json_value(value) for key, value in self.cells.items()},
            "narrative": {},
            "findings": [],
        }


def _json_value(value: Value):
    if isinstance(value, Decimal):
        return float(value)
    return value


class Batch:
    """What one computation over a set of agencies shares: each set-based loader runs once for
    all of them (one GROUP BY by agency), so the roll-up of a subtree costs what one report
    costs. Loaders take the agency ids and return {agency id: value} for every id."""

    def __init__(self, agencies: list[Agency], year: int, fmt: Format):
        self.agencies, self.year, self.fmt = agencies, year, fmt
        self.ids = [agency.pk for agency in agencies]
        self._loaded: dict[str, dict[int, object]] = {}

    def load(self, key: str, loader: Callable[[list[int]], dict[int, object]]) -> dict:
        if key not in self._loaded:
            self._loaded[key] = loader(self.ids)
        return self._loaded[key]


class Context:
    """The inputs of one agency's computation: set-based loaders through the batch, the others
    (the pre-2019 format's engagement and operations figures) once per agency."""

    def __init__(self, batch: Batch, agency: Agency):
        self.batch, self.agency = batch, agency
        self.year, self.fmt = batch.year, batch.fmt
        self.start, self.end = date(self.year, 1, 1), date(self.year, 12, 31)
        self._memo: dict[str, object] = {}

    def memo(self, key: str, compute: Callable[[], object]):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def shared(self, key: str, loader: Callable[[list[int]], dict[int, object]]):
        return self.batch.load(key, loader)[self.agency.pk]


Source = Callable[[Context, Row], dict[str, Value]]
SOURCES: dict[str, Source] = {}


def source(name: str):
    def register(fn: Source) -> Source:
        SOURCES[name] = fn
        return fn

    return register


def _single(value: Value) -> dict[str, Value]:
    """A one-column row (the pre-2019 统计数)."""
    return {"value": value}


# --- 表三 (2019, 2021) -------------------------------------------------------------------


def _with_total(counts: dict[str, int]) -> dict[str, int]:
    return {**counts, "total": sum(counts.values())}


def _summary(ctx: Context) -> dict[str, dict[str, int]]:
    return ctx.shared("year_summary", lambda ids: applications.year_summaries(ids, ctx.year))


@source("applications.new")
def _new(ctx, row):
    return _with_total(_summary(ctx)["new"])


@source("applications.carried_in")
def _carried_in(ctx, row):
    return _with_total(_summary(ctx)["carried_in"])


@source("applications.concluded")
def _concluded(ctx, row):
    return _with_total(_summary(ctx)["concluded"])


@source("applications.carried_out")
def _carried_out(ctx, row):
    return _with_total(_summary(ctx)["carried_out"])


def _outcomes(ctx: Context, fmt: str) -> dict[str, dict[str, int]]:
    def load(ids):
        tables = applications.outcome_rows_by_agency(ids, ctx.year, fmt=fmt)
        return {agency_id: tables.get(agency_id, {}) for agency_id in ids}

    return ctx.shared(f"outcomes.{fmt}", load)


@source("applications.outcome")
def _outcome(ctx, row):
    table = _outcomes(ctx, ctx.fmt.key)
    counts = table.get(row.key) or dict.fromkeys(_summary(ctx)["new"], 0)
    return _with_total(counts)


# --- 表四 and pre-2019 四/五 --------------------------------------------------------------


def _appeals(ctx: Context) -> Counter:
    """Counter of (kind, result as of 12-31) over the appeals filed in the year."""

    def load(ids):
        rows = Appeal.objects.filter(
            application__agency_id__in=ids, filed_on__range=(ctx.start, ctx.end)
        ).values_list("application__agency_id", "kind", "result", "decided_on")
        out = {agency_id: Counter() for agency_id in ids}
        for agency_id, kind, result, decided_on in rows:
            if result != AppealResult.PENDING and (decided_on is None or decided_on > ctx.end):
                result = AppealResult.PENDING
            out[agency_id][(kind, result)] += 1
        return out

    return ctx.shared("appeals", load)


_RESULT_COLUMNS = {
    AppealResult.MAINTAINED: "upheld",
    AppealResult.CORRECTED: "corrected",
    AppealResult.OTHER: "other",
    AppealResult.PENDING: "pending",
}
_KIND_GROUPS = {
    AppealKind.REVIEW: "review",
    AppealKind.LITIGATION_DIRECT: "litigation_direct",
    AppealKind.LITIGATION_AFTER_REVIEW: "litigation_after_review",
}


@source("appeals")
def _table4(ctx, row):
    counts = _appeals(ctx)
    out: dict[str, Value] = {}
    for kind, group in _KIND_GROUPS.items():
        for result, column in _RESULT_COLUMNS.items():
            out[f"{group}.{column}"] = counts[(kind, result)]
        out[f"{group}.total"] = sum(counts[(kind, r)] for r in _RESULT_COLUMNS)
    return out


_LEGACY_APPEALS = {
    "四": ((AppealKind.REVIEW,), None),
    "四（一）": ((AppealKind.REVIEW,), AppealResult.MAINTAINED),
    "四（二）": ((AppealKind.REVIEW,), AppealResult.CORRECTED),
    "四（三）": ((AppealKind.REVIEW,), AppealResult.OTHER),
    "五": ((AppealKind.LITIGATION_DIRECT, AppealKind.LITIGATION_AFTER_REVIEW), None),
    "五（一）": (
        (AppealKind.LITIGATION_DIRECT, AppealKind.LITIGATION_AFTER_REVIEW),
        AppealResult.MAINTAINED,
    ),
    "五（二）": (
        (AppealKind.LITIGATION_DIRECT, AppealKind.LITIGATION_AFTER_REVIEW),
        AppealResult.CORRECTED,
    ),
    "五（三）": (
        (AppealKind.LITIGATION_DIRECT, AppealKind.LITIGATION_AFTER_REVIEW),
        AppealResult.OTHER,
    ),
}


@source("applications.legacy_appeals")
def _legacy_appeals(ctx, row):
    kinds, result = _LEGACY_APPEALS[row.key]
    counts = _appeals(ctx)
    results = [result] if result else list(AppealResult.values)
    return _single(sum(counts[(k, r)] for k in kinds for r in results))


# --- pre-2019 三、依申请公开情况 ----------------------------------------------------------


def _legacy_received(ctx: Context) -> Counter:
    def load():
        channels = applications.received_in(ctx.agency, ctx.year).values_list("channel", flat=True)
        return Counter(LEGACY_CHANNEL_ROWS.get(c, "") for c in channels)

    return ctx.memo("legacy_received", load)


@source("applications.legacy_received")
def _legacy_received_total(ctx, row):
    return _single(sum(_legacy_received(ctx).values()))


@source("applications.legacy_channel")
def _legacy_channel(ctx, row):
    return _single(_legacy_received(ctx)[row.label])


def _legacy_concluded(ctx: Context) -> Counter:
    def load():
        extended = ApplicationEvent.objects.filter(application=OuterRef("pk"), kind="extended")
        rows = (
            applications.concluded_in(ctx.agency, ctx.year)
            .annotate(extended=Exists(extended))
            .values_list("extended", "received_on", "due_on", "concluded_on")
        )
        counts = Counter()
        for was_extended, received_on, due_on, concluded_on in rows:
            counts["total"] += 1
            if received_on is not None and received_on < IN_FORCE:
                counts["unknown"] += 1
            elif due_on is not None and concluded_on is not None and concluded_on > due_on:
                counts["late"] += 1
            else:
                counts["extended" if was_extended else "on_time"] += 1
        return counts

    return ctx.memo("legacy_concluded", load)


@source("applications.legacy_concluded")
def _legacy_concluded_total(ctx, row):
    return _single(_legacy_concluded(ctx)["total"])


def _timeliness(ctx: Context, key: str) -> dict[str, Value]:
    # One application whose due date is unknown (received under the 2007 条例) leaves both
    # counts unknown: a blank, never a guess.
    counts = _legacy_concluded(ctx)
    return _single(None if counts["unknown"] else counts[key])


@source("applications.legacy_on_time")
def _legacy_on_time(ctx, row):
    return _timeliness(ctx, "on_time")


@source("applications.legacy_extended")
def _legacy_extended(ctx, row):
    return _timeliness(ctx, "extended")


def _legacy_outcome_count(ctx: Context, key: str) -> int:
    return sum((_outcomes(ctx, "legacy").get(key) or {}).values())


@source("applications.legacy_outcome")
def _legacy_outcome(ctx, row):
    return _single(_legacy_outcome_count(ctx, row.key))


@source("applications.legacy_refused")
def _legacy_refused(ctx, row):
    return _single(sum(_legacy_outcome_count(ctx, f"三（三）4{x}") for x in "abcdef"))


@source("applications.legacy_replies")
def _legacy_replies(ctx, row):
    return _single(sum(sum(counts.values()) for counts in _outcomes(ctx, "legacy").values()))


# --- catalogue ---------------------------------------------------------------------------


def _channel_counts(ctx: Context) -> dict[str, int]:
    return ctx.memo(
        "channels",
        lambda: catalogue.publications_per_channel_kind(ctx.agency, ctx.start, ctx.end),
    )


@source("catalogue.distinct_items")
def _distinct_items(ctx, row):
    return _single(catalogue.distinct_items_published(ctx.agency, ctx.start, ctx.end))


_CHANNEL_ROWS = {
    "catalogue.channel.website": (ChannelKind.WEBSITE,),
    "catalogue.channel.weibo": (ChannelKind.WEIBO,),
    "catalogue.channel.wechat": (ChannelKind.WECHAT,),
    "catalogue.channel.other": (ChannelKind.APP, ChannelKind.OTHER),
}


def _channel_source(name: str) -> None:
    @source(name)
    def _count(ctx, row):
        counts = _channel_counts(ctx)
        return _single(sum(counts.get(kind, 0) for kind in _CHANNEL_ROWS[name]))


for _name in _CHANNEL_ROWS:
    _channel_source(_name)


def _day_end(day: date) -> datetime:
    return datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )


def _documents(ctx: Context) -> dict[str, dict[str, int]]:
    """表二 第二十条第（一）项 for 规章 and 行政规范性文件, every column of both formats, in one
    query."""

    def load(ids):
        start, end = ctx.start, ctx.end
        end_at = _day_end(end)
        start_at = _day_end(start - timedelta(days=1))
        ended = Q(validity__in=[Validity.EXPIRED, Validity.REPEALED])
        ended_by_end = ended & Q(invalid_on__lte=end)
        rows = (
            Item.objects.filter(
                agency_id__in=ids,
                genre__in=[Genre.RULE, Genre.NORMATIVE],
                published_at__isnull=False,
            )
            .order_by()
            .values("agency_id", "genre")
            .annotate(
                issued=Count("id", filter=Q(formed_on__range=(start, end))),
                repealed=Count("id", filter=ended & Q(invalid_on__range=(start, end))),
                in_force=Count("id", filter=Q(formed_on__lte=end) & ~ended_by_end),
                published=Count(
                    "id", filter=Q(published_at__gte=start_at, published_at__lt=end_at)
                ),
                total=Count("id", filter=Q(published_at__lt=end_at) & ~ended_by_end),
            )
        )
        figures = ("issued", "repealed", "in_force", "published", "total")
        out = {
            agency_id: {genre: dict.fromkeys(figures, 0) for genre in (Genre.RULE, Genre.NORMATIVE)}
            for agency_id in ids
        }
        for row in rows:
            out[row.pop("agency_id")][row.pop("genre")] = row
        return out

    return ctx.shared("documents", load)


def _documents_2021(genre):
    def compute(ctx, row):
        counts = _documents(ctx)[genre]
        return {k: counts[k] for k in ("issued", "repealed", "in_force")}

    return compute


def _documents_2019(genre):
    def compute(ctx, row):
        counts = _documents(ctx)[genre]
        return {
            "made": counts["issued"],
            "published": counts["published"],
            "total": counts["total"],
        }

    return compute


SOURCES["catalogue.rules_2021"] = _documents_2021(Genre.RULE)
SOURCES["catalogue.normative_2021"] = _documents_2021(Genre.NORMATIVE)
SOURCES["catalogue.rules_2019"] = _documents_2019(Genre.RULE)
SOURCES["catalogue.normative_2019"] = _documents_2019(Genre.NORMATIVE)


# --- engagement (pre-2019 二) and operations (pre-2019 六–九) ---------------------------------


def _engagement_source(code: str) -> None:
    @source(f"engagement.{code}")
    def _count(ctx, row):
        return _single(engagement.ROW_COUNTS[code](ctx.agency, ctx.start, ctx.end))


for _code in engagement.ROW_COUNTS:
    _engagement_source(_code)

_OPERATIONS = {
    "complaints": operations.complaints,
    "fees_collected_wan": operations.fees_collected_wan,
    "office_units": operations.office_units,
    "staff_total": operations.staff_total,
    "staff_full_time": operations.staff_full_time,
    "staff_part_time": operations.staff_part_time,
    "funds_wan": operations.funds_wan,
    "meetings": operations.meetings,
    "training_sessions": operations.training_sessions,
    "training_attendance": operations.training_attendance,
}


def _operations_source(name: str) -> None:
    @source(f"operations.{name}")
    def _figure(ctx, row):
        return _single(_OPERATIONS[name](ctx.agency, ctx.year))


for _name in _OPERATIONS:
    _operations_source(_name)


# --- the report ----------------------------------------------------------------------------


def entries_for(agency: Agency, year: int, fmt: str) -> dict[str, ReportEntry]:
    return _entries([agency.pk], year, fmt)[agency.pk]


def _entries(ids: list[int], year: int, fmt: str) -> dict[int, dict[str, ReportEntry]]:
    out: dict[int, dict[str, ReportEntry]] = {agency_id: {} for agency_id in ids}
    for entry in ReportEntry.objects.filter(agency_id__in=ids, year=year, format=fmt):
        out[entry.agency_id][entry.cell_key] = entry
    return out


def _normalise_entry(value: Decimal | None, unit: str) -> Value:
    if value is None:
        return None
    if unit != "万元" and value == value.to_integral_value():
        return int(value)
    return value.normalize() if unit != "万元" else value.quantize(Decimal("0.0001")).normalize()


def compute_report(agency: Agency, year: int, fmt: str | Format) -> ComputedReport:
    """Every cell of the format for the agency and year: computed cells from the records, entered
    cells from the staff's entries (None when none was made)."""
    return compute_reports([agency], year, fmt)[agency.pk]


def compute_reports(
    agencies: list[Agency], year: int, fmt: str | Format
) -> dict[int, ComputedReport]:
    """`compute_report` for each agency, {agency id: report}. The 2019 and 2021 formats cost a
    fixed number of queries however many agencies (each selector groups by agency); the
    pre-2019 format's engagement and operations rows add a few per agency."""
    fmt = get(fmt) if isinstance(fmt, str) else fmt
    agencies = list(agencies)
    batch = Batch(agencies, year, fmt)
    entries = _entries(batch.ids, year, fmt.key) if fmt.entered_rows() else {}
    today = timezone.localdate()
    return {
        agency.pk: _compute(Context(batch, agency), entries.get(agency.pk, {}), today)
        for agency in agencies
    }


def _compute(ctx: Context, entries: dict[str, ReportEntry], today: date) -> ComputedReport:
    fmt, year = ctx.fmt, ctx.year
    cells: dict[str, Value] = {}
    sources: dict[str, str] = {}
    notes: list[str] = []
    entry_notes: dict[str, str] = {}
    for row in fmt.data_rows():
        if row.entered:
            for _column, key in fmt.cells_of(row):
                entry = entries.get(key)
                cells[key] = _normalise_entry(entry.value, row.unit) if entry else None
                sources[key] = "entered"
                if entry and entry.note:
                    entry_notes[key] = entry.note
            continue
        if row.source not in SOURCES:
            raise KeyError(f"format {fmt.key}: row {row.key} has no source {row.source!r}")
        figures = SOURCES[row.source](ctx, row)
        for column, key in fmt.cells_of(row):
            cells[key] = figures.get(column.key, 0)
            sources[key] = row.source
    if today <= date(year, 12, 31):
        notes.append(f"{year}年度尚未结束，数据截至{today.isoformat()}，为临时数据。")
    missing = [key for key, value in cells.items() if sources[key] == "entered" and value is None]
    if missing:
        notes.append(f"尚有{len(missing)}项需人工填报的数据未填写。")
    return ComputedReport(
        format=fmt.key,
        year=year,
        agency=ctx.agency,
        cells=cells,
        sources=sources,
        provisional_notes=notes,
        entry_notes=entry_notes,
    )
