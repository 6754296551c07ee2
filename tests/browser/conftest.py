"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Playwright's own browser download is never used: the tests launch the system Chromium
(GONGKAI_CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium). `make test` installs it;
when it is missing the tests fail (they do not skip), so CI cannot pass without them.

Every test here is marked `browser` (deselect with `-m "not browser"`). On failure a full-page
screenshot is saved to test-artifacts/<test name>.png.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Column
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.conftest import calendar_present  # noqa: F401 — autouse, for these tests too
from gongkai.core.demo import DEMO_PASSWORD, load_demo
from gongkai.core.models import Agency, User

BROWSER_TESTS_DIR = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
ARTIFACTS_DIR = "test-artifacts"

expect.set_options(timeout=TIMEOUT_MS)


# --- markers and failure reports ----------------------------------------------------------


def _is_browser_test(item) -> bool:
    return BROWSER_TESTS_DIR in Path(item.path).resolve().parents


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    # Before the other implementations: mark the tests, so that `-m` can deselect them.
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
    result = yield
    # After them (pytest-django's db ordering included): run the browser tests last. Once
    # Playwright starts, an asyncio loop stays "running" in this thread until the session ends,
    # which would break any later test calling asyncio.run() or async_to_sync().
    items[:] = sorted(items, key=_is_browser_test)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # item.rep_setup / rep_call / rep_teardown, read by the page fixture at teardown.
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the browser --------------------------------------------------------------------------


def chromium_executable() -> str:
    configured = os.environ.get("GONGKAI_CHROMIUM")
    if configured:
        found = shutil.which(configured)
        source = f"GONGKAI_CHROMIUM={configured!r}"
    else:
        found = shutil.which("chromium") or (
            DEFAULT_CHROMIUM if os.access(DEFAULT_CHROMIUM, os.X_OK) else None
        )
        source = f"`chromium` on PATH or {DEFAULT_CHROMIUM}"
    if not found:
        pytest.fail(
            f"Chromium not found ({source}). The browser tests drive Debian's Chromium: "
            "install it with `make browser` (as root: apt-get install chromium fonts-noto-cjk), "
            "or point GONGKAI_CHROMIUM at a Chromium binary. Deselect these tests with "
            '-m "not browser".',
            pytrace=False,
        )
    return found


@pytest.fixture(scope="session")
def browser() -> Browser:
    executable = chromium_executable()
    # Playwright's sync API keeps an asyncio loop running in this thread from here to the end
    # of the session, and Django then refuses ORM calls (SynchronousOnlyOperation) although
    # ours are plain synchronous code. Browser tests run last (see above), so this affects
    # no other test.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as exc:
        playwright.stop()
        pytest.fail(f"Chromium at {executable} did not start:\n{exc}", pytrace=False)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def context(browser: Browser, live_server) -> BrowserContext:
    """A fresh browser profile (no cookies) per test, with relative URLs on the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def make_context(browser: Browser, live_server):
    """make_context(**options) -> another fresh context like `context`, with Playwright's
    new_context options changed (e.g. viewport=…, java_script_enabled=False); closed at teardown."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        defaults = {
            "base_url": live_server.url,
            "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1280, "height": 800},
        }
        context = browser.new_context(**{**defaults, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts_dir(request: pytest.FixtureRequest) -> Path:
    """test-artifacts/ at the repository root (git-ignored), for screenshots tests keep."""
    directory = Path(request.config.rootpath) / ARTIFACTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Page:
    page = context.new_page()
    yield page
    failed = any(
        getattr(request.node, f"rep_{when}", None) is not None
        and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        _save_screenshot(page, request)


def _save_screenshot(page: Page, request: pytest.FixtureRequest) -> None:
    directory = Path(request.config.rootpath) / ARTIFACTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_") or "test"
    path = directory / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError as exc:
        warnings.warn(f"could not save a screenshot to {path}: {exc}", stacklevel=1)
    else:
        print(f"\nscreenshot of {page.url} saved to {path}")


# --- data and helpers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    agencies: dict[str, Agency]  # by slug
    users: dict[str, User]  # by username
    password: str = DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db) -> Demo:
    """The demo data (普陀区 → 六横镇 + departments, 桃花镇, a user per role), committed so
    that the live server's thread sees it."""
    load_demo()
    return Demo(
        agencies={agency.slug: agency for agency in Agency.objects.all()},
        users={user.username: user for user in User.objects.all()},
    )


@pytest.fixture
def log_in(page: Page, demo: Demo):
    """log_in(username) -> fills and submits the login form; waits for the staff home."""

    def log_in(username: str, password: str = demo.password) -> None:
        page.goto(reverse("core:login"))
        form = page.locator("main form")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(re.escape(reverse("core:staff-home")) + "$"))

    return log_in


@pytest.fixture
def column(demo) -> Column:
    """An active column of 六横镇 (the core demo creates none)."""
    liuheng = demo.agencies["liuheng"]
    found = Column.objects.filter(agency=liuheng, is_active=True).order_by("pk").first()
    if found is not None:
        return found
    return catalogue_services.column_create(
        actor=None, agency=liuheng, name="通知公告", column_type=ColumnType.NOTICE
    )
