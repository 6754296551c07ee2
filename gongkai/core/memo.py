"""What a request reads once: a memo that lives for the request being served and no longer.

The staff pages ask the same question many times in one request: the desk's cards, each
through its app's scoped selector, read the agencies the user may see (`agencies_visible_to`)
once each. `remembered(key, compute)` answers it once per request instead.

`RequestContextMiddleware` opens the memo around each request (`request_scope`) and drops it
after. Outside a request (a test calling a selector, the command line, a background task)
there is none and every call computes afresh, as before. A write of what a memo holds forgets
the whole memo (the signals connected in core/apps.py), so a request that grants a role and
then reads sees the grant; nothing is shared between requests, threads or tests.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("gongkai_request_memo", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """A fresh memo for the code inside (one request)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per request for `key`; every time outside a request. Keep what is
    remembered immutable (tuples), since every caller of the request gets the same value."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(*_args: Any, **_kwargs: Any) -> None:
    """Drop what the current request remembered (a signal receiver: a write changed it)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()
