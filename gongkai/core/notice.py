"""Reading the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

Pure: no database access. `read_notice(text)` takes the notice as published — plain text or the
HTML of a web page — and returns every day off and every make-up workday (调休上班) it names.
Anything it cannot place raises NoticeError naming the line: a wrong schedule would move every
legal deadline, so a doubt is reported, never guessed.

The numbered lines ("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。")
carry the schedule; the preamble, the closing paragraph and the signature are not read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

__all__ = ["NoticeError", "NoticeSchedule", "read_notice", "text_from_html"]

Days = list[tuple[date, str]]


class NoticeError(ValidationError):
    """The notice cannot be read as a schedule; each message names the line at fault."""

    def __init__(self, messages: list[str] | str):
        super().__init__(messages, code="notice")

    def __str__(self) -> str:
        return "\n".join(self.messages)


@dataclass(frozen=True)
class NoticeSchedule:
    """What the notice says: every date of every range of days off (weekends included) and every
    make-up workday, each with the holiday's name as the notice gives it (元旦, 国庆节、中秋节)."""

    year: int
    holidays: Days
    workdays: Days

    def schedules_by_year(self) -> dict[int, tuple[Days, Days]]:
        """The overrides the calendar stores, by year: weekdays off and weekend days worked.

        A notice may reach into the previous December (元旦 from 12-31, a 上班 day in late
        December); those days belong to that year's schedule.
        """
        years: dict[int, tuple[Days, Days]] = {self.year: ([], [])}
        for day, name in sorted(self.holidays):
            if day.weekday() < 5:
                years.setdefault(day.year, ([], []))[0].append((day, name))
        for day, name in sorted(self.workdays):
            if day.weekday() >= 5:
                years.setdefault(day.year, ([], []))[1].append((day, name))
        return years

    def to_schedule(self) -> tuple[Days, Days]:
        """The notice's own year as `services.calendar_year_set` takes it (holidays, workdays)."""
        return self.schedules_by_year()[self.year]

    def other_years(self) -> list[int]:
        return sorted(y for y in self.schedules_by_year() if y != self.year)

    def to_json(self) -> dict:
        return {
            "year": self.year,
            "holidays": sorted(d.isoformat() for d, _name in self.holidays),
            "workdays": sorted(d.isoformat() for d, _name in self.workdays),
        }


# --- HTML to text --------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table tbody td th title tr ul".split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object"})


class _TextExtractor(HTMLParser):
    """Text of an HTML page with block elements on lines of their own. Only text is kept, so
    nothing in the page (scripts, attributes) can reach the reader or the preview."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def text_from_html(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


_LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype|/?[a-z][a-z0-9]*)(?:\s[^<>]*)?/?>", re.IGNORECASE)


# --- the notice's grammar ------------------------------------------------------------------

# Text is NFKC-normalised first, so full-width punctuation, digits and spaces read as ASCII.
_NUMERALS = "一二三四五六七八九十"
_HOLIDAY_LINE = re.compile(
    rf"^(?:[{_NUMERALS}]{{1,3}}|\d{{1,2}})、(?P<name>[^:\d]{{1,30}}):(?P<body>.*)$"
)
# A paste may run the whole notice together: a numbered item after a full stop starts a line.
_ITEM_START = re.compile(rf"(?<=[。;])\s*(?=[{_NUMERALS}]{{1,3}}、[^:\d。]{{1,30}}:)")
# ... and so does the signature, whose date would otherwise end the last item.
_SIGNATURE_START = re.compile(r"(?<=[。;])\s*(?=国务院办公厅\s*\d{4}年)")
# A line cut inside a sentence (a PDF or Word file wraps long lines) ends like this.
_UNFINISHED = re.compile(r"[、,至到(\d月日年]$")
_TITLE_YEAR = re.compile(r"关于(\d{4})年[^。]{0,30}?(?:节假日|放假)安排")
_PREAMBLE_YEAR = re.compile(r"现将(\d{4})年[^。]{0,60}放假调休日期的具体安排")
_TOKEN = re.compile(
    r"(?P<date>(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日)(?:\((?P<note>[^()]*)\))?"
    r"|(?P<aside>\([^()]*\))"
    r"|(?P<to>至|到|[-~—–])"
    r"|(?P<off>放假)"
    r"|(?P<work>上班)"
    rf"|(?P<count>共?(?P<n>\d+|[{_NUMERALS}两]+)天)"
    r"|(?P<stop>[。;])"
)
_TOKEN_KINDS = ("date", "aside", "to", "off", "work", "count", "stop")
_WEEKDAY_NOTE = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(text, 0)


class _LineError(Exception):
    pass


@dataclass
class _DateToken:
    text: str
    year: int | None
    month: int
    day: int
    note: str


@dataclass
class _Line:
    number: int
    text: str  # as the reader saw it, for messages
    name: str
    body: str


def _quote(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 60 else line[:59] + "…"


def _lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines of the normalised text, a numbered item that wraps joined to its start."""
    raw = [line.strip() for line in _SIGNATURE_START.sub("\n", text).splitlines()]
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(raw, start=1):
        for piece in _ITEM_START.split(line):
            if piece.strip():
                lines.append((number, piece.strip()))
    joined: list[tuple[int, str]] = []
    for number, line in lines:
        compact = re.sub(r"\s+", "", line)
        previous = re.sub(r"\s+", "", joined[-1][1]) if joined else ""
        if (
            _HOLIDAY_LINE.match(previous)
            and _UNFINISHED.search(previous)
            and not _HOLIDAY_LINE.match(compact)
        ):
            joined[-1] = (joined[-1][0], joined[-1][1] + line)
        else:
            joined.append((number, line))
    return joined


def _year(text: str) -> int:
    compact = re.sub(r"\s+", "", text)
    found = _TITLE_YEAR.search(compact) or _PREAMBLE_YEAR.search(compact)
    if found is None:
        raise NoticeError(
            _(
                "The notice's year cannot be found: it should begin with its title, "
                "“国务院办公厅关于YYYY年部分节假日安排的通知”."
            )
        )
    return int(found.group(1))


class _LineReader:
    """Reads one numbered line: its ranges of days off and its make-up workdays."""

    def __init__(self, line: _Line, year: int):
        self.line = line
        self.year = year
        self.ranges: list[tuple[_DateToken, _DateToken, int | None]] = []
        self.workdays: list[_DateToken] = []

    def read(self) -> tuple[list[date], list[date]]:
        tokens = self._tokens()
        crosses_new_year = any(t.month == 1 for t in tokens)
        holidays: list[date] = []
        for start_token, end_token, count in self.ranges:
            start = self._date(start_token, crosses_new_year)
            end = self._date(end_token, crosses_new_year)
            if end < start:
                raise _LineError(
                    _("the range ends (%(end)s) before it starts (%(start)s).")
                    % {"start": start, "end": end}
                )
            length = (end - start).days + 1
            if count is not None and count != length:
                raise _LineError(
                    _(
                        "the notice counts %(count)d days, but %(start)s to %(end)s is %(days)d days."
                    )
                    % {"count": count, "start": start, "end": end, "days": length}
                )
            holidays += [start + timedelta(days=i) for i in range(length)]
        workdays = [self._date(t, crosses_new_year) for t in self.workdays]
        for day in workdays:
            if day.weekday() < 5:
                raise _LineError(
                    _("%(day)s is a weekday; a make-up workday (上班) falls on a weekend.")
                    % {"day": day}
                )
        if not holidays:
            raise _LineError(_("no days off could be read from this line."))
        return holidays, workdays

    def _tokens(self) -> list[_DateToken]:
        """Walk the line's words in order; dates wait for the 放假 or 上班 that follows them."""
        pending: list[_DateToken | str] = []
        seen: list[_DateToken] = []
        last_range: int | None = None  # index in self.ranges a following 共N天 belongs to
        for match in _TOKEN.finditer(self.line.body):
            kind = next(k for k in _TOKEN_KINDS if match.group(k) is not None)
            if kind == "date":
                token = self._date_token(match, seen[-1] if seen else None)
                seen.append(token)
                pending.append(token)
                last_range = None
            elif kind == "to":
                # only between two dates is it a range; elsewhere it is an ordinary word
                if pending and pending[-1] != "to":
                    pending.append("to")
            elif kind == "off":
                last_range = self._days_off(pending) if pending else last_range
                pending = []
            elif kind == "work":
                if pending:
                    if "to" in pending:
                        raise _LineError(
                            _("make-up workdays are listed one by one, not as a range.")
                        )
                    self.workdays += [t for t in pending if isinstance(t, _DateToken)]
                pending = []
            elif kind == "count":
                if last_range is not None:
                    start, end, count = self.ranges[last_range]
                    if count is None:
                        self.ranges[last_range] = (start, end, _chinese_number(match.group("n")))
            elif kind == "stop":
                self._no_pending(pending)
                pending, last_range = [], None
        self._no_pending(pending)
        return seen

    def _no_pending(self, pending: list) -> None:
        dates = [t.text for t in pending if isinstance(t, _DateToken)]
        if dates:
            raise _LineError(
                _("it is not clear whether %(dates)s is a day off (放假) or a workday (上班).")
                % {"dates": "、".join(dates)}
            )

    def _days_off(self, pending: list) -> int:
        if len(pending) == 1:
            start = end = pending[0]
        elif len(pending) == 3 and pending[1] == "to":
            start, end = pending[0], pending[2]
        else:
            raise _LineError(_("the days off must be one day or one range (…至…)."))
        self.ranges.append((start, end, None))
        return len(self.ranges) - 1

    def _date_token(self, match: re.Match, previous: _DateToken | None) -> _DateToken:
        text = match.group("date")
        if match.group("m") is None:
            # "1月1日至3日", "2月14日、28日": the month (and year) of the date before it
            if previous is None or match.group("y") is not None:
                raise _LineError(
                    _("“%(text)s” has no month and follows no other date.") % {"text": text}
                )
            year, month = previous.year, previous.month
            text = f"{month}月{text}"
        else:
            year = int(match.group("y")) if match.group("y") is not None else None
            month = int(match.group("m"))
        return _DateToken(text, year, month, int(match.group("d")), match.group("note") or "")

    def _date(self, token: _DateToken, crosses_new_year: bool) -> date:
        year = token.year
        if year is None:
            # A December date on a line that also names January is the December before.
            year = self.year - 1 if token.month == 12 and crosses_new_year else self.year
        try:
            day = date(year, token.month, token.day)
        except ValueError:
            raise _LineError(_("“%(text)s” is not a date.") % {"text": token.text}) from None
        if not (day.year == self.year or (day.year == self.year - 1 and day.month == 12)):
            raise _LineError(
                _("%(day)s is neither in %(year)d nor in the December before it.")
                % {"day": day, "year": self.year}
            )
        weekday = _WEEKDAY_NOTE.search(token.note)
        if weekday and _WEEKDAY_INDEX[weekday.group(1)] != day.weekday():
            raise _LineError(
                _("the notice gives %(day)s as %(given)s, but it is a %(actual)s.")
                % {"day": day, "given": weekday.group(0), "actual": WEEKDAYS[day.weekday()]}
            )
        return day


def read_notice(text: str, *, html: bool | None = None) -> NoticeSchedule:
    """The schedule a notice gives. `html=None` guesses from the text whether it is a web page."""
    if html or (html is None and _LOOKS_LIKE_HTML.search(text)):
        text = text_from_html(text)
    text = unicodedata.normalize("NFKC", text)
    year = _year(text)
    holidays: Days = []
    workdays: Days = []
    seen: dict[date, int] = {}
    errors: list[str] = []
    found_lines = 0
    for number, raw in _lines(text):
        compact = re.sub(r"\s+", "", raw)
        match = _HOLIDAY_LINE.match(compact)
        if match is None:
            continue
        found_lines += 1
        line = _Line(number, raw, match.group("name").strip("、,"), match.group("body"))
        try:
            line_holidays, line_workdays = _LineReader(line, year).read()
            for day in [*line_holidays, *line_workdays]:
                if day in seen:
                    raise _LineError(
                        _("%(day)s is already named on line %(other)d.")
                        % {"day": day, "other": seen[day]}
                    )
                seen[day] = number
        except _LineError as exc:
            errors.append(
                _("Line %(number)d (“%(line)s”): %(problem)s")
                % {"number": number, "line": _quote(raw), "problem": exc.args[0]}
            )
            continue
        holidays += [(day, line.name) for day in line_holidays]
        workdays += [(day, line.name) for day in line_workdays]
    if errors:
        raise NoticeError(errors)
    if not found_lines:
        raise NoticeError(
            _("No holiday lines (such as “一、元旦：1月1日放假……”) were found in the notice.")
        )
    return NoticeSchedule(year=year, holidays=sorted(holidays), workdays=sorted(workdays))
