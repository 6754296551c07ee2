"""The public search page (第二十四条: 检索): one form, results with highlighted snippets, counts
per column as filter links, pages. Reads through gongkai.search.selectors, which only ever
returns public items."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from gongkai.catalogue.taxonomy import Genre
from gongkai.search import selectors as search_selectors
from gongkai.search.forms import SearchForm

from . import selectors
from .feeds import item_url

# Parameters of the search page that survive from one link to the next.
PARAMS = ("q", "agency", "column", "genre", "year", "sort")


def _link(params: dict, **changes) -> str:
    """This page's query string with `changes` (None removes a parameter); page 1 unless set."""
    merged = {**params, **changes}
    query = {
        k: v for k, v in merged.items() if v not in (None, "") and (k in PARAMS or k == "page")
    }
    if query.get("page") == 1:
        del query["page"]
    return "?" + urlencode(query) if query else "?"


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    values = form.values()
    agencies = list(selectors.portal_agencies().order_by("path"))
    agency = next((a for a in agencies if a.slug == values["agency"]), None)
    params = {name: values[name] for name in PARAMS}
    params["agency"] = agency.slug if agency else ""
    if params["sort"] == search_selectors.RELEVANCE:
        params["sort"] = ""  # the default: keep links short

    genre_labels = dict(Genre.choices)
    results = None
    if values["q"]:
        results = search_selectors.search(
            search_selectors.SearchQuery(
                text=values["q"],
                agency=agency.pk if agency else None,
                column=values["column"],
                genre=values["genre"],
                year=values["year"],
                sort=values["sort"],
                page=values["page"],
            )
        )
    context = {
        "form": form,
        "query": values["q"],
        "values": values,
        "agencies": agencies,
        "agency": agency,
        "genres": Genre.choices,
        "years": [y for y, _label in form.fields["year"].choices if y],
        "results": results,
    }
    if agency is not None:
        context["site"] = selectors.site_for(agency)
    if results is not None:
        context.update(
            hits=[
                (
                    hit,
                    item_url(hit.item.agency.slug, hit.item.pk),
                    genre_labels.get(hit.item.genre, hit.item.genre),
                )
                for hit in results.hits
            ],
            groups=[(group, _link(params, column=group.column_id)) for group in results.groups],
            all_columns_url=_link(params, column=None),
            sort_urls={
                search_selectors.RELEVANCE: _link(params, sort=None),
                search_selectors.DATE: _link(params, sort=search_selectors.DATE),
            },
            previous_url=_link(params, page=results.previous_page),
            next_url=_link(params, page=results.next_page),
            page_urls=[(n, _link(params, page=n)) for n in results.page_range()],
        )
    response = render(request, "portal/search.html", context)
    response.headers["X-Robots-Tag"] = "noindex"
    return response
