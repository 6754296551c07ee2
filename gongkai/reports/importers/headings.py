"""Headings "一、…", the report's title, year and agency, and the agency's level."""

from __future__ import annotations

import re

from gongkai.reports.formats import normalize

# --- headings, title, year, agency -----------------------------------------------------------

_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、\.．]\s*(.+)$")
_INLINE_HEADING = re.compile(r"\s+(?=[一二三四五六七八九十]{1,2}、\S)")
_TITLE = re.compile(r"(?:年度?报告|年报)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_AGENCY_SUFFIX = re.compile(r"(人民政府|街道办事处|办事处|委员会|政府|局|委|办|镇|乡|街道)$")
_AGENCY_IN_TEXT = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:镇|乡)人民政府|[\u4e00-\u9fff]{1,10}?街道办事处)"
)
_SOURCE_LINE = re.compile(r"^(?:信息来源|来源|发布单位|发布机构|发文机关)[：:]\s*([^\s|｜]+)")


def split_heading(line: str) -> tuple[str, str] | None:
    """(title, rest of the line) when the line opens a top-level section "一、…"."""
    match = _HEADING.match(line)
    if not match:
        return None
    rest = match[2].strip()
    body = ""
    parts = re.split(r"\s+", rest, maxsplit=1)
    if len(rest) > 40 or (len(parts) == 2 and len(parts[0]) <= 40 and "。" in parts[1]):
        if len(parts) == 2 and len(parts[0]) <= 40:
            rest, body = parts
        else:
            return None
    title = match[1] + "、" + re.sub(r"[\s\u3000]+", "", rest)
    return title, body


def agency_from_title(title: str) -> str:
    t = re.sub(r"[\s\u3000]+", "", normalize(title))
    match = _YEAR.search(t)
    if not match:
        return ""
    before = t[: match.start()].strip("《》")
    if before:
        return before
    after = t[match.end() :]
    after = re.sub(r"^度", "", after)
    cut = after.find("政府信息公开")
    if cut > 0:
        candidate = after[:cut]
        if _AGENCY_SUFFIX.search(candidate):
            return candidate
    return ""


def agency_level(name: str) -> str | None:
    """The level of an agency from its name: "township" (镇/乡) or "subdistrict" (街道), the
    values of core.AgencyLevel; None when the name says neither."""
    name = normalize(name or "")
    name = re.sub(r"(人民政府|政府)$", "", name)
    if re.search(r"(街道办事处|街道|办事处)$", name):
        return "subdistrict"
    if re.search(r"(镇|乡)$", name):
        return "township"
    return None
