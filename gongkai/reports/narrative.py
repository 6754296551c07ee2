"""The narrative of an annual report: a draft written from the records, and the binding of the
figures it quotes to the table cells.

Binding. A figure the text quotes from a table is stored as a token ``{{cell:<cell key>}}``
(e.g. ``{{cell:一、本年新收政府信息公开申请数量|总计}}``) and replaced by the cell's value
wherever the narrative is shown or exported (``render_narrative``): the text cannot disagree
with the tables after a data edit. A key the cells do not hold renders as 【?】 and is a lint
finding (``unknown_tokens``). Figures no cell holds (items per column, the fee collected) are
written as plain numbers when the draft is made.

The draft. ``draft_narrative`` writes the six sections of the 2019 and 2021 formats in the
prose of an official report (Chinese data, like the letters of gongkai/applications/defaults.py:
not gettext). Section 五 is a template the officer completes. The pre-2019 format has no draft:
its sections are mostly the table itself.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from gongkai.reports.formats import Format, get

TOKEN = re.compile(r"\{\{cell:([^{}]+)\}\}")
UNKNOWN = "【?】"
DRAFTED_FORMATS = ("2021", "2019")


def token(cell_key: str) -> str:
    return "{{cell:" + cell_key + "}}"


def _figure(value) -> str:
    """A cell's value as the text quotes it: a blank cell reads as 0."""
    if value is None:
        return "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return _figure(Decimal(str(value)))
    if isinstance(value, str):
        text = value.strip()
        try:
            return _figure(Decimal(text)) if text else "0"
        except ArithmeticError:
            return text
    return str(value)


def render_text(text: str, cells: dict) -> str:
    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key not in cells:
            return UNKNOWN
        return _figure(cells[key])

    return TOKEN.sub(replace, text or "")


def render_narrative(narrative: dict | None, cells: dict) -> dict[str, str]:
    """The narrative with every ``{{cell:…}}`` token replaced by the cell's value (【?】 for a
    key the cells do not hold)."""
    return {
        str(title): render_text(str(text or ""), cells) for title, text in (narrative or {}).items()
    }


def unknown_tokens(narrative: dict | None, cells: dict) -> list[tuple[str, str]]:
    """(section title, cell key) of every token whose key the cells do not hold."""
    found = []
    for title, text in (narrative or {}).items():
        for match in TOKEN.finditer(str(text or "")):
            if match.group(1) not in cells:
                found.append((str(title), match.group(1)))
    return found


# --- the draft --------------------------------------------------------------------------------


def _titles(fmt: Format) -> dict[str, str]:
    return {section.key: section.title for section in fmt.sections}


def _cell(fmt: Format, row_key: str, column_label: str = "总计") -> str:
    """The token of a row's cell (by row key and column label)."""
    row = fmt.row(row_key)
    for column, key in fmt.cells_of(row):
        if column.label == column_label:
            return token(key)
    raise KeyError(f"{row_key}|{column_label}")


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _published_by_column(agency, year: int) -> list[tuple[str, int]]:
    from gongkai.catalogue.models import Publication

    first, last = _year_bounds(year)
    rows = (
        Publication.objects.filter(item__agency=agency, published_on__range=(first, last))
        .values("item__column__name", "item__column__position")
        .annotate(n=Count("item_id", distinct=True))
        .order_by("item__column__position", "item__column__name")
    )
    return [(row["item__column__name"], row["n"]) for row in rows]


def _active_disclosure(
    agency, year: int
) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    from gongkai.catalogue.selectors import (
        distinct_items_published,
        publications_per_channel_kind,
    )
    from gongkai.catalogue.taxonomy import ChannelKind

    first, last = _year_bounds(year)
    total = distinct_items_published(agency, first, last)
    per_kind = publications_per_channel_kind(agency, first, last)
    channels = [
        (kind.label, per_kind[kind.value]) for kind in ChannelKind if per_kind.get(kind.value)
    ]
    return total, _published_by_column(agency, year), channels


def _on_time(agency, year: int) -> tuple[int, int]:
    """(concluded in the year, of which answered by the due date)."""
    from django.db.models import F, Q

    from gongkai.applications.selectors import concluded_in

    rows = concluded_in(agency, year)
    counts = rows.aggregate(
        n=Count("pk"),
        on_time=Count("pk", filter=Q(due_on__isnull=False, concluded_on__lte=F("due_on"))),
    )
    return counts["n"], counts["on_time"]


def fees_collected(agency, year: int) -> int:
    """信息处理费 paid in the year (yuan)."""
    from gongkai.applications.models import Fee

    first, last = _year_bounds(year)
    total = Fee.objects.filter(application__agency=agency, paid_on__range=(first, last)).aggregate(
        total=Sum("amount")
    )["total"]
    return int(total or 0)


def _general(agency, year: int, fmt: Format, published: int, all_on_time: bool) -> str:
    # "in time" is claimed only when the records show every concluded application was
    in_time = "均按照条例规定的程序和期限办理。" if all_on_time else "均按照条例规定的程序办理。"
    return (
        f"{year}年，{agency.name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。"
        f"全年主动公开政府信息{published}条，"
        f"新收政府信息公开申请{_cell(fmt, '一')}件，{in_time}"
    )


def _active(fmt: Format, published: int, columns, channels) -> str:
    lines = []
    if published:
        parts = "，".join(f"{name}{n}条" for name, n in columns)
        lines.append(f"本年度主动公开政府信息共{published}条，其中{parts}。")
    else:
        lines.append("本年度未通过政府信息公开平台主动公开政府信息。")
    if channels:
        by_channel = "，".join(f"{label}{n}条" for label, n in channels)
        lines.append(
            f"按发布渠道统计（同一信息在多个渠道发布的分别计算），各渠道共发布"
            f"{sum(n for _label, n in channels)}条，其中{by_channel}。"
        )
    table = fmt.table("二（一）")
    for column in table.columns:
        figures = "、".join(
            f"{row.label}{token(fmt.cell_key(row, column))}{row.unit}" for row in table.data_rows()
        )
        lines.append(f"{column.label}：{figures}。")
    return "\n".join(lines)


def _applications(fmt: Format, concluded: int, on_time: int) -> str:
    lines = [
        f"本年度新收政府信息公开申请{_cell(fmt, '一')}件，"
        f"上年结转政府信息公开申请{_cell(fmt, '二')}件。",
        f"本年度办结{_cell(fmt, '三（七）')}件，结转下年度继续办理{_cell(fmt, '四')}件。"
        f"办理结果为：予以公开{_cell(fmt, '三（一）')}件，部分公开{_cell(fmt, '三（二）')}件，"
        f"其余申请依法作出不予公开、无法提供、不予处理或其他处理，详见下表。",
    ]
    if concluded:
        if on_time == concluded:
            lines.append("全部申请均在法定期限内答复。")
        else:
            lines.append(f"在法定期限内答复{on_time}件，按期答复率{on_time * 100 // concluded}%。")
    return "\n".join(lines)


def _appeals(fmt: Format, cells: dict | None) -> str:
    def enumerate_(prefix: str) -> str:
        parts = ("结果维持", "结果纠正", "其他结果", "尚未审结")
        return "，".join(f"{p}{token(prefix + p)}件" for p in parts)

    direct, after = (token(f"行政诉讼|{kind}|总计") for kind in LAWSUITS)
    # "行政诉讼N件" is read by lint as the total of both kinds: name each kind by itself
    if cells is not None and not any(
        cells.get(key) for key in ("行政复议|总计", *(f"行政诉讼|{k}|总计" for k in LAWSUITS))
    ):
        # still bound: a later 复议 or 诉讼 shows in the totals quoted here
        return (
            f"本年度因政府信息公开工作被申请行政复议{token('行政复议|总计')}件；"
            f"被提起行政诉讼的，未经复议直接起诉{direct}件，复议后起诉{after}件。"
        )
    return (
        f"本年度因政府信息公开工作被申请行政复议{token('行政复议|总计')}件，"
        f"其中{enumerate_('行政复议|')}。\n"
        f"因政府信息公开工作被提起行政诉讼的，未经复议直接起诉{direct}件，"
        f"其中{enumerate_('行政诉讼|未经复议直接起诉|')}；"
        f"复议后起诉{after}件，其中{enumerate_('行政诉讼|复议后起诉|')}。"
    )


LAWSUITS = ("未经复议直接起诉", "复议后起诉")

PROBLEMS_TEMPLATE = (
    "（一）存在的主要问题：【请填写本年度政府信息公开工作存在的主要问题】\n"
    "（二）改进情况：【请填写针对上述问题已采取和拟采取的改进措施】"
)


def _other(fee: int) -> str:
    if fee:
        fees = f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{fee}元。"
    else:
        fees = "本年度未收取信息处理费。"
    return fees + "\n无其他需要报告的事项。"


def draft_narrative(
    agency, year: int, fmt: Format | str, cells: dict | None = None
) -> dict[str, str]:
    """The six sections of a 2019/2021 report drafted from the records, keyed by section title;
    figures of the tables as ``{{cell:…}}`` tokens (so the text follows later data edits), other
    figures as numbers. {} for the pre-2019 format. ``cells`` (the computed cells, optional) only
    drops a sentence about 行政复议/诉讼 when the report has none to tell."""
    fmt = get(fmt) if isinstance(fmt, str) else fmt
    if fmt.key not in DRAFTED_FORMATS:
        return {}
    titles = _titles(fmt)
    published, columns, channels = _active_disclosure(agency, year)
    concluded, on_time = _on_time(agency, year)
    draft = {
        titles["一"]: _general(agency, year, fmt, published, on_time == concluded),
        titles["二"]: _active(fmt, published, columns, channels),
        titles["三"]: _applications(fmt, concluded, on_time),
        titles["四"]: _appeals(fmt, cells),
        titles["五"]: PROBLEMS_TEMPLATE,
        titles["六"]: _other(fees_collected(agency, year)),
    }
    return draft
