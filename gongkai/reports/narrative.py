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
not gettext). Section 五 is a template the officer completes. The pre-2019 format's nine
sections follow its 统计表 row by row, with the items per column the table does not give.

Sentences that enumerate parts after 其中 are written only where the parts add up to the total
(lint's narrative arithmetic reads them): 行政复议/诉讼 results leave out the cases not yet
decided, so there the results follow "已审结的" instead.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from gongkai.reports.formats import Format, get

TOKEN = re.compile(r"\{\{cell:([^{}]+)\}\}")
# what the draft leaves for the officer to write (section 五): never published as it is
PLACEHOLDER = re.compile(r"【请填写[^】]*】")
UNKNOWN = "【?】"


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


def placeholders(narrative: dict | None) -> list[tuple[str, str]]:
    """(section title, placeholder) of every part of the draft still to be written."""
    return [
        (str(title), match.group(0))
        for title, text in (narrative or {}).items()
        for match in PLACEHOLDER.finditer(str(text or ""))
    ]


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
    """The sections of a report drafted from the records, keyed by section title; figures of the
    tables as ``{{cell:…}}`` tokens (so the text follows later data edits), other figures as
    numbers. ``cells`` (the computed cells, optional) chooses between wordings (a year without
    行政复议/诉讼, results not all decided, unknown timeliness)."""
    fmt = get(fmt) if isinstance(fmt, str) else fmt
    if fmt.key == "pre2019":
        return _draft_pre2019(agency, year, fmt, cells or {})
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


# --- the pre-2019 format ------------------------------------------------------------------


def _pre2019_active(agency, year: int, fmt: Format) -> str:
    t = _pre2019_token(fmt)
    _total, columns, _channels = _active_disclosure(agency, year)
    by_column = "，".join(f"{name}{n}条" for name, n in columns)
    lines = [
        f"{year}年，{agency.name}主动公开政府信息{t('一（一）')}条（不同渠道和方式公开相同信息"
        f"计1条）" + (f"，其中{by_column}。" if by_column else "。"),
        f"通过政府网站公开政府信息{t('一（二）1')}条，通过政务微博公开{t('一（二）2')}条，"
        f"通过政务微信公开{t('一（二）3')}条，通过其他方式公开{t('一（二）4')}条。",
    ]
    return "\n".join(lines)


def _pre2019_responses(fmt: Format) -> str:
    t = _pre2019_token(fmt)
    return (
        f"回应公众关注热点或重大舆情{t('二（一）')}次。"
        f"参加或举办新闻发布会{t('二（二）1')}次，其中主要负责同志参加{t('二（二）1a')}次。"
        f"发布政策解读稿件{t('二（二）2')}条。"
        f"通过微博微信回应事件{t('二（二）3')}次，通过其他方式回应事件{t('二（二）4')}次。"
    )


def _pre2019_applications(fmt: Format, cells: dict) -> str:
    t = _pre2019_token(fmt)
    value = _pre2019_value(fmt, cells)
    lines = [
        f"收到政府信息公开申请{t('三（一）')}件，其中当面申请{t('三（一）1')}件，"
        f"传真申请{t('三（一）2')}件，网络申请{t('三（一）3')}件，信函申请{t('三（一）4')}件。"
    ]
    concluded = f"办结申请{t('三（二）')}件"
    if value("三（二）1") is None or value("三（二）2") is None:
        # received before 2019-05-15: whether they were answered in time is not recorded
        lines.append(concluded + "。")
    else:
        lines.append(concluded + f"，其中按时办结{t('三（二）1')}件，延期办结{t('三（二）2')}件。")
    replies = "，".join(
        f"{label}{t(key)}件"
        for key, label in (
            ("三（三）1", "属于已主动公开范围"),
            ("三（三）2", "同意公开"),
            ("三（三）3", "同意部分公开"),
            ("三（三）4", "不同意公开"),
            ("三（三）5", "不属于本行政机关公开"),
            ("三（三）6", "申请信息不存在"),
            ("三（三）7", "告知作出更改补充"),
            ("三（三）8", "告知通过其他途径办理"),
        )
    )
    lines.append(f"答复申请{t('三（三）')}件，其中{replies}。")
    if value("三（三）4"):
        grounds = "，".join(
            f"{fmt.row(f'三（三）4{x}').label.removeprefix('其中：')}{t(f'三（三）4{x}')}件"
            for x in "abcdef"
        )
        lines.append(f"不同意公开{t('三（三）4')}件，其中{grounds}。")
    return "\n".join(lines)


def _pre2019_appeals(fmt: Format, cells: dict, key: str, what: str, upheld: str) -> str:
    t = _pre2019_token(fmt)
    value = _pre2019_value(fmt, cells)
    parts = (f"{key}（一）", f"{key}（二）", f"{key}（三）")
    results = f"{upheld}{t(parts[0])}件，被依法纠错{t(parts[1])}件，其他情形{t(parts[2])}件"
    total = value(key) or 0
    decided = sum(value(part) or 0 for part in parts)
    if not total:
        return f"因政府信息公开引起的{what}{t(key)}件。"
    if decided == total:
        return f"因政府信息公开引起的{what}{t(key)}件，其中{results}。"
    return f"因政府信息公开引起的{what}{t(key)}件，已审结的{results}，其余尚未审结。"


def _pre2019_fees(fmt: Format, cells: dict) -> str:
    if _pre2019_value(fmt, cells)("七"):
        return f"依申请公开信息收取费用{_pre2019_token(fmt)('七')}万元。"
    return "本年度未收取依申请公开信息的费用。"


def _pre2019_token(fmt: Format):
    return lambda row_key: _cell(fmt, row_key, "统计数")


def _pre2019_value(fmt: Format, cells: dict):
    return lambda row_key: cells.get(fmt.cell_key(row_key, "value"))


def _draft_pre2019(agency, year: int, fmt: Format, cells: dict) -> dict[str, str]:
    titles = _titles(fmt)
    t = _pre2019_token(fmt)
    return {
        titles["一"]: _pre2019_active(agency, year, fmt),
        titles["二"]: _pre2019_responses(fmt),
        titles["三"]: _pre2019_applications(fmt, cells),
        titles["四"]: _pre2019_appeals(fmt, cells, "四", "行政复议", "维持具体行政行为"),
        titles["五"]: _pre2019_appeals(
            fmt, cells, "五", "行政诉讼", "维持具体行政行为或者驳回原告诉讼请求"
        ),
        titles["六"]: f"收到涉及政府信息公开的举报投诉{t('六')}件。",
        titles["七"]: _pre2019_fees(fmt, cells),
        titles["八"]: (
            f"设立政府信息公开工作专门机构{t('八（一）')}个，从事政府信息公开工作人员"
            f"{t('八（二）')}人，其中专职人员{t('八（二）1')}人，兼职人员{t('八（二）2')}人。"
            f"政府信息公开专项经费{t('八（三）')}万元。"
        ),
        titles["九"]: (
            f"召开政府信息公开工作会议或专题会议{t('九（一）')}次，举办各类培训班"
            f"{t('九（二）')}次，接受培训人员{t('九（三）')}人次。"
        ),
    }
