"""信息处理费 (国办函〔2020〕109号《政府信息公开信息处理费管理办法》; RULES C §4). Pure.

第三条: "信息处理费可以按件计收，也可以按量计收，均按照超额累进方式计算收费金额。…对每件申请
可以根据实际情况选择适用其中一种标准，但不得同时按照两种标准重复计算。"

第四条 (按件, per applicant per calendar month): 10件以下(含10件)不收费; 11—30件 100元/件;
31件以上 "以10件为一档，每增加一档，收费标准提高100元/件".
按量 (per page): 30页以下(含30页)不收费; 31—100页 10元/页; 101—200页 20元/页; 201页以上 40元/页.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Band:
    first: int  # first unit of the band (1-based)
    last: int | None  # last unit, inclusive; None = open-ended
    rate: int  # yuan per unit
    units: int  # units of the count that fall in the band
    amount: int  # yuan


@dataclass(frozen=True)
class FeeQuote:
    schedule: str
    count: int
    bands: tuple[Band, ...]

    @property
    def amount(self) -> int:
        return sum(band.amount for band in self.bands)

    def as_dict(self) -> dict:
        return {
            "schedule": self.schedule,
            "count": self.count,
            "amount": self.amount,
            "bands": [asdict(band) for band in self.bands],
        }


def _progressive(schedule: str, count: int, edges: list[tuple[int, int | None, int]]) -> FeeQuote:
    if count < 0:
        raise ValueError("count must not be negative")
    bands = []
    for first, last, rate in edges:
        if count < first:
            break
        units = (min(count, last) if last is not None else count) - first + 1
        bands.append(Band(first, last, rate, units, units * rate))
    return FeeQuote(schedule, count, tuple(bands))


def per_item(count: int) -> FeeQuote:
    """按件计收: `count` applications by one applicant in one calendar month."""
    edges: list[tuple[int, int | None, int]] = [(1, 10, 0), (11, 30, 100)]
    # From 31 on, every further band of 10 applications costs 100元/件 more than the last.
    first, rate = 31, 200
    while first <= count:
        edges.append((first, first + 9, rate))
        first, rate = first + 10, rate + 100
    return _progressive("per_item", count, edges)


def per_page(pages: int) -> FeeQuote:
    """按量计收: `pages` pages provided for one application."""
    return _progressive(
        "per_page", pages, [(1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40)]
    )


def quote(schedule: str, count: int) -> FeeQuote:
    if schedule == "per_item":
        return per_item(count)
    if schedule == "per_page":
        return per_page(count)
    raise ValueError(f"unknown fee schedule {schedule!r}")
