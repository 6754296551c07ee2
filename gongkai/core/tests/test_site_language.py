"""Pages are Chinese whatever the browser asks, and errors are pages of the site, in Chinese."""

import pytest
from django.test import RequestFactory, override_settings
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_an_english_browser_gets_the_chinese_site(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans"' in response.content.decode()
    # The language cookie of Django's switcher does not turn it either.
    client.cookies["django_language"] = "en"
    assert client.get("/")["Content-Language"] == "zh-hans"


@override_settings(GONGKAI_BROWSER_LANGUAGE=True)
def test_a_deployment_may_follow_the_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_a_missing_page_is_a_chinese_404_in_the_sites_frame(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="zh-hans"' in body
    assert 'class="portal-header"' in body and 'class="portal-footer"' in body
    assert "页面不存在" in body
    assert "Page not found" not in body


def test_access_denied_and_bad_request_are_chinese_pages():
    request = RequestFactory().get("/staff/anything/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    denied = defaults.permission_denied(request, Exception())
    assert denied.status_code == 403
    assert "无权访问" in denied.content.decode()
    bad = defaults.bad_request(request, Exception())
    assert bad.status_code == 400
    assert 'class="portal-header"' in bad.content.decode()


def test_a_server_error_page_needs_no_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "网站暂时无法访问" in body
    assert "Traceback" not in body


def test_an_expired_form_says_so_in_chinese(client, django_user_model):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()
