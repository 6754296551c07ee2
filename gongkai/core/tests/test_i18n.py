"""The Chinese catalogue is complete and the compiled catalogue matches it."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(LOCALE_DIR / "django.po"))


def test_every_message_is_translated(po):
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_source(po):
    mo = polib.mofile(str(LOCALE_DIR / "django.mo"))
    compiled = {(e.msgid, e.msgstr) for e in mo if not e.msgid_plural}
    source = {(e.msgid, e.msgstr) for e in po.translated_entries() if not e.msgid_plural}
    assert source - compiled == set(), "run `make messages` to recompile django.mo"


def test_placeholders_survive_translation(po):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(
            placeholder.findall(entry.msgstr)
        ), entry.msgid


def test_ui_is_served_in_chinese_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert translation.get_language_from_request(response.wsgi_request) == "zh-hans"
    assert "政府信息公开" in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()
