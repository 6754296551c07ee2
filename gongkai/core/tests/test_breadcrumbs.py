"""Every staff page shows the breadcrumbs and the side menu: the pages of the access matrix
(one entry per URL pattern, with an object of agency A for every path parameter) are walked as
a principal who may read each, and every HTML answer must carry both."""

from __future__ import annotations

import re

import time_machine

from gongkai.core.tests import access_matrix as matrix
from gongkai.core.tests.test_access_matrix import (  # noqa: F401 — the matrix's fixtures
    NOW,
    ROUTES,
    cases,
    files_root,
    page_url,
    private_root,
    world,
)

# who reads a page, in the order tried: the first the matrix lets in
READERS = ("officer", "head", "admin", "editor", "reviewer", "supervisor", "superuser")
CRUMBS = re.compile(r'<nav class="breadcrumbs" aria-label="[^"]+"><ol>(.*?)</ol></nav>', re.S)


def staff_pages() -> list[str]:
    return sorted(
        name
        for name in set(matrix.PAGES) & set(ROUTES)
        if ROUTES[name].startswith("staff/") or name == "core:staff-home"
    )


def test_every_staff_page_has_breadcrumbs_and_the_side_menu(world, db):  # noqa: F811
    walked, problems = 0, []
    with time_machine.travel(NOW, tick=False):
        for name in staff_pages():
            for case in cases(matrix.PAGES[name]):
                if case.method != "GET":
                    continue
                reader = next((p for p in READERS if case.expect.get(p) == matrix.OK), None)
                if reader is None:
                    continue
                url = page_url(name, case, world.obj | {"town": world.town})
                response = world.clients[reader].get(url)
                if response.status_code != 200 or not response.get("Content-Type", "").startswith(
                    "text/html"
                ):
                    continue  # downloads, exports, redirects
                walked += 1
                body = response.content.decode()
                crumbs = CRUMBS.search(body)
                if crumbs is None:
                    problems.append(f"{name} ({url}) as {reader}: no breadcrumbs")
                    continue
                if 'aria-current="page"' not in crumbs.group(1):
                    problems.append(f"{name} ({url}): the last crumb is not the page")
                if 'href="/staff/"' not in crumbs.group(1) and name != "core:staff-home":
                    problems.append(f"{name} ({url}): the breadcrumbs do not start at the desk")
                if '<nav class="side-menu"' not in body:
                    problems.append(f"{name} ({url}) as {reader}: no side menu")
    assert walked > 40, walked
    assert not problems, "\n".join(problems)
