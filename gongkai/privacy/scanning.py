"""Regex scans of the privacy passes made cheaper without changing what they find.

Plain Python (no Django, no other module of the shield).
"""

import re
from collections.abc import Iterator

_NOTHING: tuple = ()


class OneOf:
    """A pattern that starts with a class of two characters: "[：:]…", "[ \u3000]…", "[（(]…".

    The regex engine tests a class of characters at every position of the text, some five
    times slower than it skips to one literal character. Most texts hold only one of the two
    (Chinese text its full-width colon or bracket, few both) or neither: `finditer` and
    `search` then run the pattern with that character written as a literal, or nothing; a
    text with both gets the pattern itself. The matches are the same: every match starts
    with one of the two characters, and a character the text does not hold starts none.
    """

    def __init__(self, first: str, rest: str, flags: int = 0):
        a, b = first
        self.pattern = f"[{first}]{rest}"  # what it stands for
        self._both = re.compile(self.pattern, flags)
        self._a = re.compile(re.escape(a) + rest, flags)
        self._b = re.compile(re.escape(b) + rest, flags)
        self._chars = (a, b)

    def _pick(self, text: str) -> re.Pattern | None:
        a, b = self._chars
        if a in text:
            return self._both if b in text else self._a
        return self._b if b in text else None

    def finditer(self, text: str, *span: int) -> Iterator[re.Match]:
        pattern = self._pick(text)
        return iter(_NOTHING) if pattern is None else pattern.finditer(text, *span)

    def search(self, text: str, *span: int) -> re.Match | None:
        pattern = self._pick(text)
        return None if pattern is None else pattern.search(text, *span)
