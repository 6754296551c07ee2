"""The staff's dictionary: who may change it, validation, audit, and re-segmentation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core.models import AuditEvent, Role
from gongkai.core.tests.factories import UserFactory
from gongkai.search import dictionary, indexing, services
from gongkai.search.models import SearchDictionary, SearchDocument, SearchTerm
from gongkai.search.segment import get_segmenter

from .conftest import titles

pytestmark = pytest.mark.django_db


def test_a_staff_word_is_found_as_one_term_after_reindex_stale(publish, people):
    item = publish("登步岛开展渔船安全检查")
    other = publish("六横镇召开防汛工作会议")
    document = SearchDocument.objects.get(item=item)
    assert "登步岛" not in document.title_seg.split()  # jieba does not know the name

    term = services.search_term_add(actor=people.officer, word="登步岛")
    assert term.version == SearchDictionary.load().version == document.dict_version + 1
    # Stale documents hold the name in pieces: the query accepts the pieces meanwhile.
    assert titles("登步岛") == [item.title]
    assert dictionary.current().fresh == frozenset({"登步岛"})

    report = indexing.reindex(stale_only=True)
    assert report.indexed == 2 and report.remaining == 0
    document.refresh_from_db()
    assert "登步岛" in document.title_seg.split()
    assert document.dict_version == term.version
    assert SearchDocument.objects.get(item=other).dict_version == term.version
    assert dictionary.current().fresh == frozenset()
    assert titles("登步岛") == [item.title]
    assert get_segmenter().segment_query("登步岛").clauses[0].token == "登步岛"
    # Nothing is stale any more: a second run re-segments nothing.
    assert indexing.reindex(stale_only=True).indexed == 0


def test_removing_a_word_makes_documents_stale_and_splits_it_again(publish, people):
    term = services.search_term_add(actor=people.officer, word="登步岛")
    item = publish("登步岛开展渔船安全检查")
    assert "登步岛" in SearchDocument.objects.get(item=item).title_seg.split()
    services.search_term_remove(actor=people.officer, term=term)
    assert not SearchTerm.objects.exists()
    assert indexing.reindex(stale_only=True).indexed == 1
    assert "登步岛" not in SearchDocument.objects.get(item=item).title_seg.split()
    assert titles("登步岛") == [item.title]


def test_adding_and_removing_are_audited(people):
    term = services.search_term_add(actor=people.officer, word=" 登步岛 ")
    assert term.word == "登步岛" and term.added_by == people.officer
    services.search_term_remove(actor=people.officer, term=term)
    events = list(AuditEvent.objects.filter(verb__startswith="search.").order_by("id"))
    assert [(e.verb, e.actor, e.object_repr) for e in events] == [
        ("search.term_add", people.officer, "登步岛"),
        ("search.term_remove", people.officer, "登步岛"),
    ]
    assert events[0].after["word"] == "登步岛"
    assert events[1].after["dictionary_version"] == events[0].after["dictionary_version"] + 1


def test_who_may_change_the_dictionary(people, agency_tree, make_member):
    admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN, "pt-admin")
    superuser = UserFactory(username="root", is_superuser=True)
    for allowed, word in ((people.officer, "登步岛"), (admin, "白沙岛"), (superuser, "蚂蚁岛乡")):
        services.search_term_add(actor=allowed, word=word)
    for refused in (people.editor, people.reviewer, people.supervisor):
        with pytest.raises(PermissionDenied):
            services.search_term_add(actor=refused, word="虾峙岛")
        with pytest.raises(PermissionDenied):
            services.search_term_remove(actor=refused, term=SearchTerm.objects.first())
    assert SearchTerm.objects.count() == 3


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("岛", "length"),
        ("很长" * 16, "length"),
        ("登步 岛", "characters"),
        ("登步·岛", "characters"),
        ("app", "no_chinese"),
    ],
)
def test_words_are_validated(people, word, code):
    with pytest.raises(ValidationError) as caught:
        services.search_term_add(actor=people.officer, word=word)
    assert caught.value.error_dict["word"][0].code == code
    assert SearchDictionary.load().version == 1  # nothing changed


def test_a_word_is_added_once(people):
    services.search_term_add(actor=people.officer, word="登步岛")
    with pytest.raises(ValidationError):
        services.search_term_add(actor=people.officer, word="登步岛")
    assert SearchTerm.objects.count() == 1


def test_full_width_letters_are_normalised(people):
    assert services.search_term_add(actor=people.officer, word="Ｇ２０峰会").word == "g20峰会"


def test_the_segmenter_follows_the_dictionary_stamp(people):
    dictionary.current()
    assert "登步岛" not in get_segmenter().extra_words
    services.search_term_add(actor=people.officer, word="登步岛")  # as if in another process
    assert "登步岛" not in get_segmenter().extra_words
    dictionary.current()
    assert "登步岛" in get_segmenter().extra_words
    # Same version number, other state (a change rolled back, another one made): reloaded.
    version = SearchDictionary.load().version
    SearchTerm.objects.all().delete()
    SearchDictionary.objects.filter(pk=1).update(stamp="another", version=version)
    dictionary.current()
    assert "登步岛" not in get_segmenter().extra_words


def test_admin_adds_and_removes_through_the_services(client, people, agency_tree, make_member):
    officer = people.officer
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    add_url = reverse("admin:search_searchterm_add")
    response = client.post(add_url, {"word": "登步岛"})
    assert response.status_code == 302
    term = SearchTerm.objects.get()
    assert term.added_by == officer
    assert AuditEvent.objects.filter(verb="search.term_add").exists()

    response = client.post(add_url, {"word": "登步 岛"})
    assert response.status_code == 200 and SearchTerm.objects.count() == 1

    delete_url = reverse("admin:search_searchterm_delete", args=[term.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not SearchTerm.objects.exists()
    assert AuditEvent.objects.filter(verb="search.term_remove").exists()


def test_admin_is_closed_to_other_staff(client, people):
    editor = people.editor
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    assert client.get(reverse("admin:search_searchterm_changelist")).status_code == 403
    assert (
        client.post(reverse("admin:search_searchterm_add"), {"word": "登步岛"}).status_code == 403
    )
    assert not SearchTerm.objects.exists()
