"""Security headers on every page: Content-Security-Policy, Permissions-Policy, and
`Cache-Control: no-store` wherever personal or internal data are shown; and the production
settings pass `check --deploy`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from gongkai.core.models import Role

PACKAGE_DIR = Path(settings.PACKAGE_DIR)


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.fixture
def officer(agency_tree, make_member):
    return make_member(agency_tree["town"], Role.OFFICER)


PAGES = [
    pytest.param(lambda tree: "/", id="portal-home"),
    pytest.param(lambda tree: f"/gk/{tree['town'].slug}/", id="agency-home"),
    pytest.param(lambda tree: f"/gk/{tree['town'].slug}/apply/", id="apply-form"),
    pytest.param(lambda tree: reverse("core:login"), id="login"),
]


@pytest.mark.parametrize("page", PAGES)
def test_public_pages_carry_a_strict_content_security_policy(client, agency_tree, page):
    response = client.get(page(agency_tree))
    assert response.status_code == 200
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    # No inline script or style, and nothing from elsewhere.
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_staff_pages_carry_the_policy(client, officer):
    client.force_login(officer)
    response = client.get(reverse("core:staff-home"))
    assert response.status_code == 200
    assert directives(response.headers["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_permissions_policy_denies_devices_and_payment(client, agency_tree):
    response = client.get("/")
    policy = dict(
        part.strip().split("=", 1) for part in response.headers["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
        assert policy[feature] == "()", feature


# Inline script (<script> without src), event handler attributes and style attributes or
# blocks would be refused under the policy: the templates must not have any. (The report export
# and the letter PDF are files, not pages: their <style> is for WeasyPrint and a saved copy.)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
FILE_TEMPLATES = {"reports/export.html", "applications/letter_pdf.html"}


def page_templates():
    for directory in [PACKAGE_DIR / "templates", *PACKAGE_DIR.glob("*/templates")]:
        for path in directory.rglob("*.html"):
            yield path.relative_to(directory).as_posix(), path.read_text(encoding="utf-8")


def test_templates_have_no_inline_script_handler_or_style():
    found = []
    for name, text in page_templates():
        checks = [INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE]
        if name not in FILE_TEMPLATES:
            checks.append(STYLE_BLOCK)
        found += [f"{name}: {m.group(0)[:60]}" for rx in checks for m in rx.finditer(text)]
    assert list(page_templates()), "no templates found"
    assert not found, "\n".join(found)


def test_the_checks_above_find_what_they_look_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert HANDLER.search('<button type="button" onclick="go()">')
    assert STYLE_ATTRIBUTE.search('<p class="x" style="color:red">')


# --- Cache-Control: no-store ---------------------------------------------------------------


def assert_no_store(response):
    cache_control = response.headers.get("Cache-Control", "")
    assert "no-store" in cache_control, cache_control
    assert "private" in cache_control, cache_control
    assert "public" not in cache_control, cache_control


def test_staff_pages_are_not_stored(client, officer, agency_tree):
    client.force_login(officer)
    for url in (
        reverse("core:staff-home"),
        reverse("core:agency-detail", args=[agency_tree["town"].pk]),
        reverse("applications:queue", args=[agency_tree["town"].slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_store(response)


def test_login_page_and_api_answers_are_not_stored(client, agency_tree):
    assert_no_store(client.get(reverse("core:login")))
    response = client.get("/api/v1/catalogue/public/items")
    assert response.status_code == 200, response.content
    assert_no_store(response)


def test_a_public_page_seen_by_a_logged_in_user_is_not_stored(client, officer, agency_tree):
    url = f"/gk/{agency_tree['town'].slug}/"
    assert "no-store" not in client.get(url).headers.get("Cache-Control", "")
    client.force_login(officer)
    assert_no_store(client.get(url))


# --- check --deploy --------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_checks(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))},
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.production",
        "SECRET_KEY": "x7#Lq" * 12,
        "ALLOWED_HOSTS": "gk.example.cn",
        "GONGKAI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output
