"""The speed-ups of the name passes find exactly what the plain forms find.

Each rewritten regex or gate is compared with the plain form it replaces on the development
set of real text and on the synthetic benchmark corpus, and on strings made to hit it.
"""

import json
import re
import sys
from pathlib import Path

import pytest

from gongkai.privacy import names, prose_names

ROOT = Path(__file__).resolve().parents[3]
_HAN = prose_names._HAN


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with (ROOT / "bench" / "privacy_real" / "dev.jsonl").open(encoding="utf-8") as fh:
        dev = [json.loads(line)["text"] for line in fh if line.strip()]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import privacy_bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    made = [text for text, _ in privacy_bench.corpus(1500, 3)]
    words = list(names._BACK_KINDS) + ["王", "李", "张三", "，", "\n", "男", "女"]
    rng = __import__("random").Random(2)
    glued = ["".join(rng.choice(words) for _ in range(60)) for _ in range(300)]
    return dev + made + glued + ["\n".join(dev)]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_grouped_alternation_finds_what_the_single_regex_finds(texts):
    single = re.compile(names._BACK_RE.pattern)
    for text in texts:
        assert _spans(names._BACK_RE.finditer(text)) == _spans(single.finditer(text))


@pytest.mark.parametrize(
    ("fast", "plain"),
    [
        (
            prose_names._BYLINE_TIME,
            f"(?<=\\d\\d):\\d\\d(?::\\d\\d)?[ \u3000]+([{_HAN}]{{2,3}})[ \u3000]*(?=\\n)",
        ),
        (
            prose_names._POST_IN_BRACKETS,
            f"(?<=[{_HAN}])[（(](?=[^）)\\n]{{0,20}}?(?:{prose_names._POSTS})[^）)\\n]{{0,6}}[）)])",
        ),
    ],
)
def test_patterns_that_start_with_a_literal_match_as_before(texts, fast, plain):
    plain_re = re.compile(plain)
    extra = ["发布时间：2021-11-13 14:26:07 付欣\n", "主持人：王建军（县委副书记）", "12:30 张三\n"]
    for text in texts + extra:
        assert _spans(fast.finditer(text)) == _spans(plain_re.finditer(text))


def test_author_lines_are_looked_for_only_where_their_next_line_can_follow(texts):
    extra = ["陈 越，潘才健\n（武汉大学 法学院）", "龚文婷\n\n摘要：本文", "王五 李四\n1. 引言"]
    for text in texts + extra:
        if prose_names._AUTHOR_LINE.search(text):
            assert prose_names._AUTHOR_LINE_NEXT.search(text)
    assert all(prose_names._AUTHOR_LINE.search(text) for text in extra)
