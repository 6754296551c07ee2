"""Names the name passes find that are not a person named: the last word on a candidate.

Plain Python (no Django). `keep(text, spans)` drops, from the `(start, end, confidence)` spans
of `names.find_names` on `text`:

- a name that opens a book's title or names a doctrine ("《习近平谈治国理政》",
  "习近平新时代中国特色社会主义思想", "毛泽东思想", "邓小平理论"): the labelling rules count
  the leader named as a person, not the name inside a title or a theory;
- the items of a list counted as businesses ("汪玉霞、苏恒泰、叶开泰等数十家老字号": shop names
  that are, as often in China, a founder's name);
- a heading in brackets ("【关键词】");
- a ruler of antiquity named by his state and rank ("卫侯", "齐王", "晋公");
- a word of three or more characters that the dictionary knows as something else than a
  name ("关键词" at the head of a line of keywords).

Each test is a slice comparison or a regex at the candidate's end; the lists of businesses are
found by one regex gated on "家".
"""

from __future__ import annotations

import re
from functools import lru_cache

from gongkai.privacy import namemodel

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# After a name: a doctrine or theory named after the person.
_DOCTRINE = re.compile("新时代|(?:文化|经济|法治|外交|强军|生态文明|军事|哲学)?思想|理论")
# Items of a list, then 等 and a count of businesses.
_BUSINESSES = re.compile("等(?:数|几|好几|上|近|\\d+|[一二两三四五六七八九十百千])+家")
_LISTED = re.compile(f"(?:[{_HAN}]{{2,4}}、)+[{_HAN}]{{2,4}}$")
_RANKS = frozenset("侯公王")
_PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
_OPEN = frozenset("【[［")
_CLOSE = frozenset("】]］")


def keep(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    if not spans:
        return spans
    lists: list[tuple[int, int]] = []
    if "等" in text and "家" in text:
        for m in _BUSINESSES.finditer(text):
            listed = _LISTED.search(text, max(0, m.start() - 60), m.start())
            if listed is not None:
                lists.append(listed.span())
    out = []
    for span in spans:
        start, end = span[0], span[1]
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if before == "《" and after != "》":
            continue  # the start of a title: 《习近平谈治国理政》
        if _DOCTRINE.match(text, end):
            continue  # 习近平新时代中国特色社会主义思想, 毛泽东思想
        if before in _OPEN and after in _CLOSE:
            continue  # 【关键词】
        if end - start == 2 and text[end - 1] in _RANKS:
            continue  # 卫侯, 齐王
        if end - start >= 3 and _a_word(text[start:end]):
            continue  # 关键词
        if lists and any(lo <= start and end <= hi for lo, hi in lists):
            continue
        out.append(span)
    return out


@lru_cache(maxsize=4096)
def _a_word(candidate: str) -> bool:
    info = namemodel.lexicon().get(candidate)
    return info is not None and info[1] not in _PERSON_TAGS
