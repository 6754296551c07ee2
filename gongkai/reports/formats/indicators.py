"""The key indicators of each format: the columns of the supervisor's roll-up matrix
(gongkai/reports/matrix.py), as data.

An indicator is the sum of one or more cells of the format, each named by (row key, column key)
so that a renamed label cannot silently drop a cell (tests/test_matrix.py checks that every cell
exists). Indicators with the same key in two formats are the same measure (the 2019 and 2021
formats share 表三 and 表四), which is what the year-over-year columns compare; a key that the
earlier year's format lacks has no previous value. Labels are the official wording, shortened.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Format
from .registry import get


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # Chinese, the matrix's column header
    unit: str
    cells: tuple[tuple[str, str], ...]  # (row key, column key), summed
    group: str = ""  # a header above several indicators

    def cell_keys(self, fmt: Format) -> tuple[str, ...]:
        return tuple(fmt.cell_key(row, column) for row, column in self.cells)


def _rows(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(1, count + 1))


def _total(*rows: str) -> tuple[tuple[str, str], ...]:
    """表三's 总计 column of the rows."""
    return tuple((row, "total") for row in rows)


_ACTIVE = "主动公开"
_APPLICATIONS = "依申请公开"
_APPEALS = "复议和诉讼"
_FEES = "收费"
_LITIGATION = (
    ("复议诉讼", "litigation_direct.total"),
    ("复议诉讼", "litigation_after_review.total"),
)


def _applications(other_rows: tuple[str, ...]) -> tuple[Indicator, ...]:
    """表三 and 表四, the same in the 2019 and 2021 formats (but for （六）其他处理's rows)."""
    return (
        Indicator("new", "本年新收申请", "件", _total("一"), _APPLICATIONS),
        Indicator("carried_in", "上年结转申请", "件", _total("二"), _APPLICATIONS),
        Indicator("granted", "予以公开", "件", _total("三（一）"), _APPLICATIONS),
        Indicator("partly", "部分公开", "件", _total("三（二）"), _APPLICATIONS),
        Indicator("refused", "不予公开", "件", _total(*_rows("三（三）", 8)), _APPLICATIONS),
        Indicator("unable", "无法提供", "件", _total(*_rows("三（四）", 3)), _APPLICATIONS),
        Indicator("not_handled", "不予处理", "件", _total(*_rows("三（五）", 5)), _APPLICATIONS),
        Indicator("other", "其他处理", "件", _total(*other_rows), _APPLICATIONS),
        Indicator("concluded", "办结总计", "件", _total("三（七）"), _APPLICATIONS),
        Indicator("carried_out", "结转下年度", "件", _total("四"), _APPLICATIONS),
        Indicator("review", "行政复议", "件", (("复议诉讼", "review.total"),), _APPEALS),
        Indicator("litigation", "行政诉讼", "件", _LITIGATION, _APPEALS),
    )


INDICATORS: dict[str, tuple[Indicator, ...]] = {
    "2021": (
        Indicator("rules_issued", "规章制发", "件", (("规章", "issued"),), _ACTIVE),
        Indicator("rules_in_force", "规章现行有效", "件", (("规章", "in_force"),), _ACTIVE),
        Indicator(
            "normative_issued", "规范性文件制发", "件", (("行政规范性文件", "issued"),), _ACTIVE
        ),
        Indicator(
            "normative_in_force",
            "规范性文件现行有效",
            "件",
            (("行政规范性文件", "in_force"),),
            _ACTIVE,
        ),
        Indicator("permits", "行政许可", "件", (("行政许可", "decisions"),), _ACTIVE),
        Indicator("penalties", "行政处罚", "件", (("行政处罚", "decisions"),), _ACTIVE),
        Indicator("coercion", "行政强制", "件", (("行政强制", "decisions"),), _ACTIVE),
        *_applications(_rows("三（六）", 3)),
        Indicator("fees", "行政事业性收费", "万元", (("行政事业性收费", "amount"),), _FEES),
    ),
    "2019": (
        Indicator("rules_issued", "规章新制作", "件", (("规章", "made"),), _ACTIVE),
        Indicator("rules_in_force", "规章对外公开总数", "件", (("规章", "total"),), _ACTIVE),
        Indicator("normative_issued", "规范性文件新制作", "件", (("规范性文件", "made"),), _ACTIVE),
        Indicator(
            "normative_in_force",
            "规范性文件对外公开总数",
            "件",
            (("规范性文件", "total"),),
            _ACTIVE,
        ),
        Indicator("permits", "行政许可", "件", (("行政许可", "decisions"),), _ACTIVE),
        Indicator("penalties", "行政处罚", "件", (("行政处罚", "decisions"),), _ACTIVE),
        Indicator("coercion", "行政强制", "件", (("行政强制", "decisions"),), _ACTIVE),
        *_applications(("三（六）",)),
    ),
    "pre2019": (
        Indicator("published", "主动公开信息数", "条", (("一（一）", "value"),), _ACTIVE),
        Indicator("new", "收到申请数", "件", (("三（一）", "value"),), _APPLICATIONS),
        Indicator("concluded", "申请办结数", "件", (("三（二）", "value"),), _APPLICATIONS),
        Indicator("review", "行政复议", "件", (("四", "value"),), _APPEALS),
        Indicator("litigation", "行政诉讼", "件", (("五", "value"),), _APPEALS),
        Indicator("application_fees", "依申请公开收费", "万元", (("七", "value"),), _FEES),
    ),
}


def indicators_for(fmt_key: str) -> tuple[Indicator, ...]:
    """The format's key indicators (KeyError for an unknown format)."""
    get(fmt_key)
    return INDICATORS[fmt_key]
