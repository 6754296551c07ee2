"""Synthetic catalogue for the portal benchmark: 50 agencies, their columns, N public items.

Pure Python (no Django): `make_plan(n, seed)` decides the agencies, columns and how many items
each agency gets; `agency_items(plan, agency, segmenter)` yields that agency's items in
publication order, deterministically from the seed. portal_load.py writes them with COPY.

Text is assembled from the templates of portal_vocab.py. Each template is split into literal
pieces and slots once, and the segmenter (jieba with the project's dictionary, cached per piece)
is applied to each piece, so the segmented text for search comes out alongside the text without
running jieba over a million documents. The difference from segmenting each whole document is
confined to piece boundaries; portal_bench.py --check-segmentation measures it.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

try:  # only for the check character of the credit codes
    from gongkai.core.validators import uscc_check_character
except ImportError:  # pragma: no cover
    uscc_check_character = None

import portal_vocab as V

# Bump when the generated data changes: a database loaded by another version is not reused.
DATA_VERSION = "1"

START = datetime(2014, 1, 6, tzinfo=UTC)
END = datetime(2026, 10, 30, tzinfo=UTC)
CHINA = timedelta(hours=8)

KIND_GENRE = {
    "news": "work_news",
    "notice": "notice",
    "interpretation": "interpretation",
    "personnel": "personnel",
    "plan": "plan",
    "finance": "finance",
    "emergency": "emergency",
    "annual_report": "annual_report",
    "project": "other",
    "enforcement": "notice",
    "other": "other",
}
CN_NUMERALS = "一二三四五六七八九十"


# --- the plan: agencies, columns, counts ---------------------------------------------------


@dataclass
class AgencyPlan:
    id: int
    slug: str
    name: str
    short_name: str
    level: str
    parent_id: int | None
    path: str
    depth: int
    uscc: str
    doc_prefix: str
    scope: str  # 区 / 镇 / 街道, as in "全区"
    topics: list[str]  # topic phrases this agency writes about most
    columns: list[ColumnPlan] = field(default_factory=list)
    n_items: int = 0
    first_item_id: int = 0
    website_channel_id: int = 0
    wechat_channel_id: int = 0


@dataclass
class ColumnPlan:
    id: int
    agency_id: int
    parent_id: int | None
    name: str
    column_type: str
    kind: str
    weight: float
    position: int


@dataclass
class Plan:
    n: int
    seed: int
    agencies: list[AgencyPlan]

    @property
    def columns(self) -> list[ColumnPlan]:
        return [c for a in self.agencies for c in a.columns]

    def signature(self) -> str:
        return f"v{DATA_VERSION} n={self.n} seed={self.seed}"


def make_uscc(serial: int) -> str:
    first17 = f"11330903{2571000 + serial:09d}"
    return first17 + (uscc_check_character(first17) if uscc_check_character else "0")


def topic_group_of() -> dict[str, str]:
    return {phrase: group for group, phrases in V.TOPIC_GROUPS.items() for phrase in phrases}


ALL_TOPICS = [phrase for phrases in V.TOPIC_GROUPS.values() for phrase in phrases]
TOPIC_GROUP = topic_group_of()


def make_plan(n: int, seed: int = 1) -> Plan:
    rng = random.Random(f"plan-{seed}")
    rows = [(*V.COUNTY, None)]
    rows += [(*t, 1) for t in V.TOWNS]
    rows += [
        (slug, name, short, "department", prefix, 1) for slug, name, short, prefix in V.DEPARTMENTS
    ]
    assert len(rows) == 50, len(rows)
    agencies: list[AgencyPlan] = []
    for index, (slug, name, short, level, prefix, parent) in enumerate(rows):
        agency_id = index + 1
        path = f"/{agency_id}/" if parent is None else f"/{parent}/{agency_id}/"
        scope = {"county": "区", "township": "镇", "subdistrict": "街道"}.get(level, "区")
        groups = V.AGENCY_TOPICS.get(slug)
        topics = [t for g in groups for t in V.TOPIC_GROUPS[g]] if groups else list(ALL_TOPICS)
        agencies.append(
            AgencyPlan(
                id=agency_id,
                slug=slug,
                name=name,
                short_name=short,
                level=level,
                parent_id=parent,
                path=path,
                depth=0 if parent is None else 1,
                uscc=make_uscc(agency_id),
                doc_prefix=prefix,
                scope=scope,
                topics=topics,
            )
        )
    # Columns: two roots (政府信息公开, 重点领域) and 8–13 leaves under them: 10–15 per agency.
    column_id = 0
    for agency in agencies:
        n_leaves = rng.randint(8, 13)
        must = [c for c in V.INFO_COLUMNS if c[0] in ("政策文件", "工作动态", "通知公告")]
        rest = [c for c in V.INFO_COLUMNS + V.KEY_COLUMNS if c not in must]
        leaves = must + rng.sample(rest, n_leaves - len(must))
        for position, (root_name, options) in enumerate(
            (("政府信息公开", V.INFO_COLUMNS), ("重点领域", V.KEY_COLUMNS))
        ):
            column_id += 1
            root = ColumnPlan(column_id, agency.id, None, root_name, "other", "", 0, position)
            agency.columns.append(root)
            for child_position, spec in enumerate(c for c in options if c in leaves):
                name, column_type, kind, weight = spec
                column_id += 1
                agency.columns.append(
                    ColumnPlan(
                        column_id,
                        agency.id,
                        root.id,
                        name,
                        column_type,
                        kind,
                        weight,
                        child_position,
                    )
                )
    # Items per agency: skewed (a busy 区政府 and a few busy departments, quiet small offices).
    weights = []
    for agency in agencies:
        base = {"county": 4.0, "township": 1.6, "subdistrict": 1.3, "dispatched": 0.8}.get(
            agency.level, 1.0
        )
        weights.append(base * rng.lognormvariate(0, 0.45))
    total = sum(weights)
    shares = [n * w / total for w in weights]
    counts = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[: n - sum(counts)]:
        counts[i] += 1
    next_id = 1
    for index, (agency, count) in enumerate(zip(agencies, counts, strict=True)):
        agency.n_items = count
        agency.first_item_id = next_id
        next_id += count
        agency.website_channel_id = 2 * index + 1
        agency.wechat_channel_id = 2 * index + 2
    return Plan(n=n, seed=seed, agencies=agencies)


# --- templates -----------------------------------------------------------------------------

Template = tuple[tuple[str, str | None], ...]
_FORMATTER = string.Formatter()


def compile_template(text: str) -> Template:
    return tuple((literal, name) for literal, name, _spec, _conv in _FORMATTER.parse(text))


def _compile_all(source: dict[str, list[str]]) -> dict[str, list[Template]]:
    return {kind: [compile_template(t) for t in items] for kind, items in source.items()}


TITLES = _compile_all(V.TITLES)
OPENINGS = _compile_all(V.OPENINGS)
SENTENCES = _compile_all(V.SENTENCES)
CLOSINGS = _compile_all(V.CLOSINGS)
COMMON = [compile_template(t) for t in V.COMMON]
LONG_KINDS = {"policy", "plan", "interpretation", "annual_report", "emergency", "finance"}
HEADINGS = ["总体要求", "工作目标", "主要任务", "重点工作", "保障措施", "组织领导", "工作要求",
            "责任分工", "进度安排", "附则"]  # fmt: skip
ANNEX = compile_template("附件：{year}年{topic}{annex}")


class Segmenter:
    """Segmentation cached per piece of text: templates repeat their literals endlessly."""

    def __init__(self, cut: Callable[[str], str]):
        self.cut = cut
        self.cache: dict[str, str] = {}
        self.misses = 0

    def __call__(self, piece: str) -> str:
        done = self.cache.get(piece)
        if done is None:
            self.misses += 1
            done = self.cut(piece)
            if len(self.cache) < 2_000_000:
                self.cache[piece] = done
        return done


@dataclass
class GeneratedItem:
    id: int
    agency: AgencyPlan
    column: ColumnPlan
    kind: str
    title: str
    summary: str
    body: str  # sanitised-looking HTML: <p> paragraphs
    body_text: str  # what richtext.to_text(body) gives: one line per paragraph
    document_number: str
    publisher: str
    topic: str
    genre: str
    validity: str
    invalid_on: date | None
    formed_on: date
    published_at: datetime
    index_year: int
    index_serial: int
    index_number: str
    on_wechat: bool
    # Segmented text (tokens separated by spaces), piece by piece as described above.
    seg_title: str
    seg_summary: str
    seg_body: str


class _Writer:
    """Renders templates into raw text and segmented text at the same time."""

    __slots__ = ("raw", "seg", "segment")

    def __init__(self, segment: Segmenter):
        self.segment = segment
        self.raw: list[str] = []
        self.seg: list[str] = []

    def render(self, template: Template, slots: dict, dynamic: Callable[[str], str]) -> None:
        raw, seg, segment = self.raw, self.seg, self.segment
        for literal, name in template:
            if literal:
                raw.append(literal)
                seg.append(segment(literal))
            if name:
                value = slots.get(name)
                if value is None:
                    value = dynamic(name)
                raw.append(value)
                seg.append(segment(value))

    def take(self) -> tuple[str, str]:
        raw, seg = "".join(self.raw), " ".join(s for s in self.seg if s)
        self.raw, self.seg = [], []
        return raw, seg


def agency_items(plan: Plan, agency: AgencyPlan, segment: Segmenter) -> Iterator[GeneratedItem]:
    """The agency's items in order of publication (ids ascending), deterministic per seed."""
    rng = random.Random(f"items-{plan.seed}-{agency.slug}")
    leaves = [c for c in agency.columns if c.kind]
    column_weights = [c.weight for c in leaves]
    places = [agency.short_name] * 3 if agency.level in ("township", "subdistrict") else []
    places += [t[2] for t in V.TOWNS] + V.PLACES_EXTRA
    span = (END - START).total_seconds()
    moments = sorted(rng.random() * span for _ in range(agency.n_items))
    serials: dict[int, int] = {}
    doc_numbers: dict[int, int] = {}
    writer = _Writer(segment)
    choice, randint, random_ = rng.choice, rng.randint, rng.random

    for offset, seconds in enumerate(moments):
        published = START + timedelta(seconds=seconds)
        # Working hours in China, 8:00–18:00 local: 0:00–10:00 UTC of the local date.
        local_day = (published + CHINA).date()
        published = datetime(
            local_day.year, local_day.month, local_day.day, tzinfo=UTC
        ) + timedelta(hours=randint(0, 9), minutes=randint(0, 59), seconds=randint(0, 59))
        formed_on = local_day - timedelta(days=randint(0, 12))
        year = local_day.year
        column = rng.choices(leaves, column_weights)[0]
        kind = column.kind
        topic = choice(agency.topics) if random_() < 0.7 else choice(ALL_TOPICS)
        doc_year = formed_on.year
        slots = {
            "org": agency.name,
            "place": choice(places),
            "place2": choice(places),
            "topic": topic,
            "topic2": choice(agency.topics),
            "year": str(doc_year),
            "year1": str(doc_year + 1),
            "y3": str(doc_year + 2),
            "meeting": choice(V.MEETINGS),
            "action": choice(V.ACTIONS),
            "leader": choice(V.LEADERS),
            "nobj": choice(V.NOTICE_OBJECTS),
            "project": choice(V.PROJECTS),
            "stage": choice(V.STAGES),
            "doc": choice(V.DOCS),
            "typhoon": choice(V.TYPHOONS),
            "season": choice(V.SEASONS),
            "unit": choice(V.UNITS),
            "unit2": choice(("单位", "部门", "村（社区）", "科室")),
            "upper": choice(V.UPPERS),
            "annex": choice(V.ANNEXES),
            "post": choice(V.POSTS),
            "level": choice(V.LEVELS),
            "scope": agency.scope,
        }

        def dynamic(name: str, _y=doc_year) -> str:
            if name in ("n", "n2"):
                return str(randint(10, 5000))
            if name in ("n3",):
                return str(randint(1, 200))
            if name in ("n4",):
                return str(randint(2, 10))
            if name == "pct":
                return f"{randint(1, 400) / 10:.1f}"
            if name in ("amount", "amount2"):
                return f"{randint(100, 9_999_999) / 100:.2f}"
            if name == "month":
                return str(randint(1, 12))
            if name in ("date", "date2"):
                return f"{_y}年{randint(1, 12)}月{randint(1, 28)}日"
            if name == "tel":
                return f"{randint(100, 999)}"
            if name == "cn":
                return CN_NUMERALS[randint(0, 9)]
            raise KeyError(name)

        title_kind = kind
        writer.render(choice(TITLES[title_kind]), slots, dynamic)
        title, seg_title = writer.take()
        if title_kind == "news" and random_() < 0.5:
            # Department news says who: "区农业农村局开展…" rather than the full name.
            title = title.replace(agency.name, agency.short_name)
            seg_title = seg_title.replace(segment(agency.name), segment(agency.short_name))

        # Body: an opening, sentences from the kind's pool and the common pool, a closing.
        paragraphs: list[tuple] = []  # (text, segmented[, tag])
        writer.render(choice(OPENINGS[kind]), slots, dynamic)
        paragraphs.append(writer.take())
        own = SENTENCES[kind]
        picked = rng.sample(own, min(len(own), randint(2, 6))) + rng.sample(COMMON, randint(2, 8))
        rng.shuffle(picked)
        in_paragraph = 0
        per_paragraph = randint(1, 4)
        for template in picked:
            writer.render(template, slots, dynamic)
            in_paragraph += 1
            if in_paragraph >= per_paragraph:
                paragraphs.append(writer.take())
                in_paragraph, per_paragraph = 0, randint(1, 4)
        if in_paragraph:
            paragraphs.append(writer.take())
        if kind in LONG_KINDS and random_() < 0.6:
            # Documents with numbered sections: 一、总体要求 … 三、保障措施.
            pool = own + COMMON
            for number, heading in enumerate(
                sorted(rng.sample(range(len(HEADINGS)), randint(3, 6)))
            ):
                text = f"{CN_NUMERALS[number]}、{HEADINGS[heading]}"
                paragraphs.append((text, segment(text), "h3"))
                for _ in range(randint(1, 3)):
                    for template in rng.sample(pool, randint(1, 3)):
                        writer.render(template, slots, dynamic)
                    paragraphs.append(writer.take())
        if kind == "notice" and random_() < 0.3:
            writer.render(ANNEX, slots, dynamic)
            paragraphs.append(writer.take())
        closing = CLOSINGS.get(kind)
        if closing:
            writer.render(choice(closing), slots, dynamic)
            paragraphs.append(writer.take())
        body = "".join(
            f"<{p[2]}>{p[0]}</{p[2]}>" if len(p) == 3 else f"<p>{p[0]}</p>" for p in paragraphs
        )
        body_text = "\n".join(p[0] for p in paragraphs)
        seg_body = " ".join(p[1] for p in paragraphs)

        summary = seg_summary = ""
        if kind in ("policy", "interpretation", "plan") or random_() < 0.1:
            summary, seg_summary = paragraphs[0][:2]

        document_number = ""
        if kind == "policy" or (kind in ("notice", "emergency", "personnel") and random_() < 0.3):
            doc_numbers[doc_year] = doc_numbers.get(doc_year, 0) + randint(1, 3)
            marker = "发" if kind == "policy" and agency.level != "department" else ""
            document_number = f"{agency.doc_prefix}{marker}〔{doc_year}〕{doc_numbers[doc_year]}号"

        genre = KIND_GENRE.get(kind) or ("normative" if random_() < 0.25 else "other_document")
        validity, invalid_on = "valid", None
        if kind == "policy" and year < 2021 and random_() < 0.4:
            validity = choice(("expired", "repealed"))
            invalid_on = formed_on + timedelta(days=randint(365, 5 * 365))
            if invalid_on > END.date():
                invalid_on = END.date()

        serials[year] = serials.get(year, 0) + 1
        yield GeneratedItem(
            id=agency.first_item_id + offset,
            agency=agency,
            column=column,
            kind=kind,
            title=title[:300],
            summary=summary,
            body=body,
            body_text=body_text,
            document_number=document_number,
            publisher=agency.name,
            topic=TOPIC_GROUP[topic],
            genre=genre,
            validity=validity,
            invalid_on=invalid_on,
            formed_on=formed_on,
            published_at=published,
            index_year=year,
            index_serial=serials[year],
            index_number=f"{agency.uscc}/{year}-{serials[year]:05d}",
            on_wechat=random_() < 0.25,
            seg_title=seg_title,
            seg_summary=seg_summary,
            seg_body=seg_body,
        )
