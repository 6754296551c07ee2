"""The portal benchmark's link to the search app (gongkai.search).

Loading: the documents are written with COPY in the search app's own row format
(`gongkai.search.bulk`: TABLE, COLUMNS, copy_row, segment_for_index), with the text segmented
piece by piece alongside generation (see portal_data.py). `check_segmentation` compares that
with segmenting each whole document the way `index_items_bulk` does.

Timing: `direct_latency` calls `gongkai.search.selectors.search` — what the search page calls —
in this process, against the benchmark database.
"""

from __future__ import annotations

import functools
import os
import statistics
import time
import urllib.parse
from datetime import UTC, datetime

_ready = False


def setup() -> None:
    """Django with the benchmark's settings (the caller has set the environment)."""
    global _ready
    if not _ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_settings")
        import django

        django.setup()
        _ready = True


def available() -> bool:
    """Whether the search page exists (portal:search)."""
    setup()
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("portal:search")
    except NoReverseMatch:
        return False
    return True


def search_path(query: str) -> str:
    setup()
    from django.urls import reverse

    return reverse("portal:search") + "?" + urllib.parse.urlencode({"q": query})


# --- loading -------------------------------------------------------------------------------

INDEXED_AT = datetime(2026, 11, 1, tzinfo=UTC)


def _make_hook(version: int):
    from portal_load import SearchHook

    from gongkai.search.bulk import COLUMNS, TABLE, copy_row, segment_for_index

    def row(item) -> list:
        title_seg = item.seg_title
        if item.document_number:
            title_seg += " " + segment_for_index(item.document_number)
        body_seg = " ".join(part for part in (item.seg_summary, item.seg_body) if part)
        return copy_row(
            item_id=item.id,
            agency_id=item.agency.id,
            column_id=item.column.id,
            genre=item.genre,
            published_at=item.published_at,
            title_seg=title_seg,
            body_seg=body_seg,
            dict_version=version,
            indexed_at=INDEXED_AT,
        )

    return SearchHook(table=TABLE, columns=list(COLUMNS), row=row, cut=segment_for_index)


def load_hook_factory():
    """A factory the load workers call after the fork (the dictionary is loaded here, once,
    and the Django connection closed so that no worker inherits it)."""
    setup()
    from django.db import connections

    from gongkai.search import dictionary

    version = dictionary.current().version
    connections.close_all()
    return functools.partial(_make_hook, version)


def search_table() -> str:
    setup()
    from gongkai.search.bulk import TABLE

    return TABLE


# --- segmentation check ----------------------------------------------------------------------


def _matches(node, tokens: set[str]) -> bool:
    from gongkai.search.segment import AllOf, AnyOf, Phrase, Term

    if isinstance(node, Term):
        return node.token in tokens
    if isinstance(node, Phrase):  # approximated: all of its tokens
        return all(t in tokens for t in node.tokens)
    if isinstance(node, AllOf):
        return all(_matches(p, tokens) for p in node.parts)
    if isinstance(node, AnyOf):
        return any(_matches(p, tokens) for p in node.parts)
    raise TypeError(node)


def check_segmentation(plan, k: int, queries: list[str]) -> str:
    """Segment k items both ways and compare tokens and query matches."""
    setup()
    import portal_data as D

    from gongkai.search.segment import get_segmenter, segment_for_index, segment_query

    segmenter = get_segmenter()
    hook = _make_hook(1)
    segment = D.Segmenter(segment_for_index)
    per_agency = max(1, k // len(plan.agencies))
    sample = []
    for agency in plan.agencies:
        for i, item in enumerate(D.agency_items(plan, agency, segment)):
            if i >= per_agency:
                break
            sample.append(item)
    jaccard, only_pre, only_full, sizes = [], 0, 0, []
    parsed = [segment_query(q) for q in queries]
    agree = matched_pre = matched_full = 0
    started = time.process_time()
    for item in sample:
        values = hook.row(item)
        pre = set(values[6].split()) | set(values[7].split())
        title = " ".join(p for p in (item.title, item.document_number) if p)
        text = "\n".join(p for p in (item.summary, item.body_text) if p)
        full = set(segmenter.segment_for_index(title).split()) | set(
            segmenter.segment_for_index(text).split()
        )
        jaccard.append(len(pre & full) / len(pre | full))
        only_pre += len(pre - full)
        only_full += len(full - pre)
        sizes.append(len(full))
        for query in parsed:
            a, b = _matches_all(query, pre), _matches_all(query, full)
            agree += a == b
            matched_pre += a
            matched_full += b
    seconds = time.process_time() - started
    chars = sum(len(i.title) + len(i.summary) + len(i.body_text) for i in sample)
    pairs = len(sample) * len(parsed)
    return (
        f"segmentation check on {len(sample):,} items: distinct tokens per item {statistics.mean(sizes):.0f}, "
        f"mean Jaccard(pre-segmented, whole document) {statistics.mean(jaccard):.3f}; "
        f"tokens only in the pre-segmented text {only_pre / len(sample):.1f} per item, only in "
        f"the whole-document text {only_full / len(sample):.1f}; the {len(parsed)} queries match "
        f"{matched_pre:,} (pre-segmented) vs {matched_full:,} (whole document) of {pairs:,} "
        f"item×query pairs, {agree / pairs:.2%} agree. Whole-document segmentation ran at "
        f"{chars / max(seconds, 1e-9) / 1000:.0f}k characters per CPU second "
        f"(~{1_000_000 * chars / len(sample) / max(chars / seconds, 1) / 60:.0f} CPU minutes "
        "for 1M items of this size)."
    )


def _matches_all(parsed, tokens: set[str]) -> bool:
    return bool(parsed.clauses) and all(_matches(c, tokens) for c in parsed.clauses)


# --- timing ----------------------------------------------------------------------------------


def direct_latency(queries: list[str]) -> dict:
    """Each query through `search()` twice in a row of passes: the first pass meets a cold
    cache for its words, the second a warm one."""
    setup()
    from django.db import connection

    from gongkai.search.selectors import SearchQuery, search

    result: dict = {"first": [], "second": [], "totals": [], "exact": []}
    for label in ("first", "second"):
        for text in queries:
            started = time.perf_counter()
            found = search(SearchQuery(text=text))
            result[label].append(time.perf_counter() - started)
            if label == "first":
                result["totals"].append(found.total)
                result["exact"].append(found.total_exact)
    connection.close()
    return result


def print_slowest(console, direct: dict, queries: list[str], k: int = 8) -> None:
    order = sorted(range(len(queries)), key=lambda i: -direct["second"][i])[:k]
    console.print("slowest queries (second run): " + "; ".join(
        f"{queries[i]!r} {direct['second'][i] * 1000:.0f} ms, "
        f"{direct['totals'][i]:,}{'' if direct['exact'][i] else '+'} hits"
        for i in order
    ))  # fmt: skip
    zero = sum(1 for t in direct["totals"] if t == 0)
    capped = sum(1 for e in direct["exact"] if not e)
    console.print(
        f"{len(queries)} queries: {zero} without hits, {capped} above the count cap, median hits "
        f"{statistics.median(direct['totals']):,.0f}"
    )


def sample_queries_for_explain(direct: dict, queries: list[str], k: int = 3) -> list[str]:
    order = sorted(range(len(queries)), key=lambda i: -direct["second"][i])[:k]
    return [queries[i] for i in order]


# --- diagnostics -----------------------------------------------------------------------------


def captured(call) -> list[tuple[float, str, tuple]]:
    """Run `call()` and return its SQL statements as (seconds, sql, params), slowest first."""
    setup()
    from django.db import connection

    statements: list[tuple[float, str, tuple]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(wrapper):
        call()
    return sorted(statements, key=lambda s: -s[0])


def explain(sql: str, params) -> str:
    setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def explain_search(query: str) -> tuple[list[tuple[float, str, tuple]], str]:
    from gongkai.search.selectors import SearchQuery, search

    statements = captured(lambda: search(SearchQuery(text=query)))
    seconds, sql, params = statements[0]
    return statements, explain(sql, params)
