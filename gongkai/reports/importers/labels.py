"""Row labels: a cell matched to a row of the format, loosely (numbering, remarks, typos)."""

from __future__ import annotations

import re

from gongkai.reports.formats import Format, Row, normalize

# --- labels -----------------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[\.、．]|其中：)"
)
# A remark printed after a row label: "规章（县级无此项）", "规范性文件（指各行政机关印发的有正式
# 文号的文件）" — tried only when the whole label is not a row's.
_REMARK = re.compile(r"（[^（）]*）$")
# Slips seen in real reports that change no meaning: 的/之, a missing or extra 其中, 、 and
# quotes, 行政法复议 for 行政复议.
_LOOSE_DROP = re.compile(r"[的之、，。：“”\"'‘’《》]|其中")
_LOOSE_FIX = (("行政法复议", "行政复议"), ("行政法诉讼", "行政诉讼"))


def loose(text: str) -> str:
    for wrong, right in _LOOSE_FIX:
        text = text.replace(wrong, right)
    return _LOOSE_DROP.sub("", text)


class LabelIndex:
    """Row labels of a format (and their aliases) → rows; a repeated label (pre2019 四/五's
    "（二）被依法纠错数") resolves to the first occurrence after the last row matched."""

    def __init__(self, fmt: Format):
        self.fmt = fmt
        self.order: dict[str, int] = {}
        self.by_label: dict[str, list[Row]] = {}
        self.by_stem: dict[str, list[Row]] = {}
        self.by_loose: dict[str, list[Row]] = {}
        position = 0
        for table in fmt.tables:
            for row in table.rows:
                self.order[row.key] = position
                position += 1
                if not row.label:
                    continue
                for text in (row.label, *row.aliases):
                    norm = self.norm(text)
                    self.by_label.setdefault(norm, [])
                    if row not in self.by_label[norm]:
                        self.by_label[norm].append(row)
                    stem = _NUMBERING.sub("", norm)
                    if stem and len(stem) >= 4:
                        self.by_stem.setdefault(stem, [])
                        if row not in self.by_stem[stem]:
                            self.by_stem[stem].append(row)
                    for key in {loose(norm), loose(stem)}:
                        if len(key) >= 4:  # never a bare "其他" or "总计"
                            self.by_loose.setdefault(key, [])
                            if row not in self.by_loose[key]:
                                self.by_loose[key].append(row)
        self.parents = sorted(
            {self.norm(r.label) for t in fmt.tables for r in t.rows if r.header and r.label},
            key=len,
            reverse=True,
        )
        self.columns: set[str] = set()
        self.headless: dict[str, Row] = {}  # column-header word → the label-less row it heads
        for table in fmt.tables:
            for column in table.columns:
                for text in (column.label, *column.aliases):
                    self.columns.add(self.norm(text))
                    for part in text.split("|"):
                        self.columns.add(self.norm(part))
                if column.group:
                    self.columns.add(self.norm(column.group))
            for row in table.data_rows():
                if row.label:
                    continue
                for column in table.columns:
                    for part in column.label.split("|"):
                        if self.norm(part) not in ("总计", "合计"):
                            self.headless[self.norm(part)] = row
            for text in (table.title, table.caption, *table.aliases):
                if text:
                    self.columns.add(self.norm(text))
        self.sections = {}
        self.section_stems = {}  # title without its number: "三、…行政复议…" printed for "四、…"
        for section in fmt.sections:
            for text in (section.title, *section.aliases):
                self.sections[self.norm(text)] = section
                self.section_stems[loose(_NUMBERING.sub("", self.norm(text)))] = section
        self.header_words = sorted(
            {w for w in self.columns if w and "|" not in w and len(w) <= 12}
            | {w for w in _SPLIT_HEADER_WORDS},
            key=len,
            reverse=True,
        )

    def norm(self, text: str) -> str:
        text = normalize(text)
        for variant, canonical in self.fmt.replacements:
            if text == variant or text.endswith(variant):
                text = text[: len(text) - len(variant)] + canonical
        return text

    def row(self, text: str, after: int) -> Row | None:
        norm = self.norm(text)
        if not norm:
            return None
        candidates = self._candidates(norm)
        if not candidates:
            bare = _REMARK.sub("", norm)
            if bare != norm and len(bare) >= 2:
                candidates = self._candidates(bare)
        if not candidates:
            # a sub-row printed after its parent in one cell: "（五）不予处理5.要求…"
            for parent in self.parents:
                if norm.startswith(parent) and len(norm) > len(parent) + 1:
                    candidates = self._candidates(norm[len(parent) :])
                    if candidates:
                        break
        if not candidates:
            return None
        for row in candidates:
            if self.order[row.key] > after:
                return row
        return candidates[0]

    def _candidates(self, norm: str) -> list[Row] | None:
        candidates = self.by_label.get(norm)
        if not candidates:
            stem = _NUMBERING.sub("", norm)
            candidates = self.by_stem.get(stem) if stem else None
            if not candidates and stem:
                candidates = self.by_loose.get(loose(stem)) or self.by_loose.get(loose(norm))
        return candidates

    def section(self, text: str):
        norm = self.norm(text)
        found = self.sections.get(norm)
        if found is None and _NUMBERING.match(norm):
            found = self.section_stems.get(loose(_NUMBERING.sub("", norm)))
        return found

    def is_column_label(self, text: str) -> bool:
        norm = self.norm(text)
        return bool(norm) and (
            norm in self.columns or _CAPTION.match(norm) is not None or self.is_header_run(norm)
        )

    def header_run(self, norm: str) -> list[str] | None:
        """The column words a header printed run together is made of ("结果维持结果纠正其他结果
        尚未审结总计", "行政复议行政诉讼", "维持纠正结果审结"), or None when the text is not
        wholly made of them."""
        words: list[str] = []
        rest = re.sub(r"[（）()\[\]【】\s]", "", loose(norm))
        while rest:
            for word in self.header_words:
                if rest.startswith(word):
                    words.append(word)
                    rest = rest[len(word) :]
                    break
            else:
                return None
        return words if len(words) >= 2 or (words and words[0] in _SPLIT_HEADER_WORDS) else None

    def is_header_run(self, norm: str) -> bool:
        return self.header_run(norm) is not None


# Pieces of 表四's header when a PDF's text layer splits its two-line cells ("结果" / "维持").
_SPLIT_HEADER_WORDS = ("结果", "维持", "纠正", "其他", "尚未", "审结", "总计", "合计")

_CAPTION = re.compile(
    r"^(?:统计指标|单位|统计数|信息内容|申请人情况|第二十条第（[一二三四五六七八九十]+）项|"
    r"（本列数据的勾稽关系为.*|（?\d{4}年度?）?|政府信息公开(?:工作)?情况统计表|"
    r"序号|指标|备注|（单位：.*）)$"
)
