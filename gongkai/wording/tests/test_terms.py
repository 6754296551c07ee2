"""The administrator's terms: audited writes through the services, the staff page, and the
compiled list that follows every change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core.models import AuditEvent, Role
from gongkai.core.tests.factories import MembershipFactory, UserFactory
from gongkai.wording import services
from gongkai.wording.check import find_wording
from gongkai.wording.models import WordingTerm
from gongkai.wording.selectors import platform_terms

pytestmark = pytest.mark.django_db
URL = "/staff/wording/"


@pytest.fixture
def root():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def editor():
    return MembershipFactory(role=Role.EDITOR).user


def add(actor, **kwargs):
    values = {
        "correct": "六横镇党政综合办公室",
        "wrong_forms": "六横镇党政综和办公室\n六横镇党政综合办公事",
        "category": "body",
        "basis": "舟山市普陀区六横镇内设机构",
    }
    values.update(kwargs)
    return services.wording_term_create(actor=actor, **values)


def test_an_added_term_is_audited_and_checked_from_then_on(root):
    text = "请与六横镇党政综和办公室联系。"
    assert find_wording(text, terms=platform_terms()) == []
    term = add(root)
    event = AuditEvent.objects.get(verb="wording_term.create")
    assert event.actor == root and event.object_id == str(term.pk)
    assert event.after["wrong_forms"] == "六横镇党政综和办公室\n六横镇党政综合办公事"
    (finding,) = find_wording(text, terms=platform_terms())
    assert (finding.found, finding.suggestion, finding.term.source) == (
        "六横镇党政综和办公室",
        "六横镇党政综合办公室",
        "admin",
    )


def test_a_switched_off_term_is_no_longer_checked(root):
    term = add(root)
    services.wording_term_set_active(actor=root, term=term, active=False)
    assert find_wording("六横镇党政综和办公室", terms=platform_terms()) == []
    assert AuditEvent.objects.filter(verb="wording_term.deactivate").count() == 1
    services.wording_term_set_active(actor=root, term=term, active=True)
    assert len(find_wording("六横镇党政综和办公室", terms=platform_terms())) == 1


def test_an_update_records_only_what_changed(root):
    term = add(root)
    services.wording_term_update(
        actor=root,
        term=term,
        correct=term.correct,
        wrong_forms=term.wrong_forms + "\n六横镇党政总合办公室",
        category="body",
        basis=term.basis,
    )
    event = AuditEvent.objects.get(verb="wording_term.update")
    assert set(event.after) == {"wrong_forms"}
    assert len(find_wording("六横镇党政总合办公室", terms=platform_terms())) == 1


def test_only_a_platform_administrator_may_change_the_list(editor):
    with pytest.raises(PermissionDenied):
        add(editor)
    assert not WordingTerm.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="wording_term").exists()


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("wrong_forms", {"wrong_forms": "六横镇党政综合办公室"}),  # the correct form itself
        ("wrong_forms", {"wrong_forms": "国务院办公厅"}),  # a built-in term's correct form
        ("wrong_forms", {"wrong_forms": "办"}),  # one character: everywhere
        ("wrong_forms", {"wrong_forms": ""}),
        ("correct", {"correct": "政府公开信息条例办公室"}),  # holds a listed wrong form
        ("category", {"category": "weather"}),
    ],
)
def test_a_term_that_would_give_false_alarms_is_refused(root, field, values):
    with pytest.raises(ValidationError) as caught:
        add(root, **values)
    assert field in caught.value.error_dict
    assert not WordingTerm.objects.exists()


def test_the_page_lists_the_terms_and_checks_a_text(client, editor):
    client.force_login(editor)
    response = client.get(URL, {"text": "根据《政府公开信息条例》"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="wording-tried"' in page
    assert "<mark>政府公开信息条例</mark>" in page
    assert "wording-term-form" not in page  # editors do not change the list
    assert client.post(URL, {"action": "add", "correct": "x"}).status_code == 403


def test_the_platform_administrator_adds_and_switches_off_a_term(client, root):
    client.force_login(root)
    response = client.post(
        URL,
        {
            "action": "add",
            "correct": "六横镇便民服务中心",
            "wrong_forms": "六横镇便民服物中心",
            "category": "body",
            "near": "",
        },
    )
    assert response.status_code == 302
    term = WordingTerm.objects.get()
    assert term.near is None and term.created_by == root
    response = client.post(URL, {"action": "deactivate", "term": term.pk})
    assert response.status_code == 302
    term.refresh_from_db()
    assert not term.is_active


def test_a_refused_term_is_shown_on_the_form(client, root):
    client.force_login(root)
    response = client.post(
        URL, {"action": "add", "correct": "国务院", "wrong_forms": "国务院", "category": "state"}
    )
    assert response.status_code == 200
    assert not WordingTerm.objects.exists()
    assert 'role="alert"' in response.content.decode()


def test_the_admin_saves_through_the_services(client, root):
    client.force_login(root)
    url = reverse("admin:wording_wordingterm_add")
    response = client.post(
        url,
        {
            "correct": "桃花镇人民政府",
            "wrong_forms": "桃花镇人民政付",
            "category": "state",
            "basis": "",
            "allow": "",
            "near": "unknown",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(verb="wording_term.create").count() == 1
    refused = client.post(url, {"correct": "国务院", "wrong_forms": "国务院", "category": "state"})
    assert refused.status_code == 200
    assert WordingTerm.objects.count() == 1
