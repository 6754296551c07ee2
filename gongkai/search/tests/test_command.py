"""`gongkai search …` on the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from gongkai.catalogue.models import ItemStatus
from gongkai.search import dictionary
from gongkai.search.backends.base import SearchBackend
from gongkai.search.models import SearchDocument, SearchTerm

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    with translation.override("en"):  # the msgids, whatever the translations say
        call_command("search", *args, stdout=out)
    return out.getvalue()


def test_reindex_and_status(publish):
    publish("六横镇召开防汛工作会议")
    publish("台风蓝色预警")
    assert "0 to (re)index" in run("status")
    output = run("reindex")
    assert "Indexed 2 documents, removed 0" in output
    assert "Indexed 0 documents" in run("reindex", "--stale")
    assert "2 documents for 2 public items; 0 to (re)index" in run("status")


def test_an_interrupted_reindex_continues_with_stale(publish, monkeypatch):
    for n in range(5):
        publish(f"防汛简报第{n}期")
    original = SearchBackend.index_batch
    calls = []

    def interrupted(self, item_ids, *, dict_version):
        calls.append(item_ids)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(self, item_ids, dict_version=dict_version)

    monkeypatch.setattr(SearchBackend, "index_batch", interrupted)
    with pytest.raises(CommandError, match="--stale"):
        run("reindex", "--batch-size", "2")
    assert len(calls) == 2
    version = dictionary.current().version
    assert SearchDocument.objects.filter(dict_version=version).count() == 2
    monkeypatch.setattr(SearchBackend, "index_batch", original)
    assert "Indexed 3 documents" in run("reindex", "--stale", "--batch-size", "2")
    assert SearchDocument.objects.filter(dict_version=version).count() == 5


def test_terms_add_list_remove(people):
    assert "登步岛" in run("terms", "add", "登步岛", "--user", people.officer.username)
    assert SearchTerm.objects.get().added_by == people.officer
    assert "登步岛" in run("terms", "list")
    assert "登步岛" in run("terms", "remove", "登步岛")
    assert not SearchTerm.objects.exists()
    with pytest.raises(CommandError):
        run("terms", "remove", "登步岛")
    with pytest.raises(CommandError):
        run("terms", "add", "岛")
    with pytest.raises(CommandError):
        run("terms", "add", "登步岛", "--user", people.editor.username)  # not allowed
    with pytest.raises(CommandError):
        run("terms", "add", "登步岛", "--user", "nobody")


def test_query(publish, item_in):
    publish("六横镇召开防汛工作会议")
    item_in(ItemStatus.DRAFT, title="防汛草稿")
    output = run("query", "防汛", "--agency", "liuheng", "--sort", "date")
    assert "六横镇召开防汛工作会议" in output and "防汛草稿" not in output
    assert "工作动态 1" in output
    assert "No results." in run("query", "台风")
    with pytest.raises(CommandError):
        run("query", "防汛", "--agency", "nowhere")
