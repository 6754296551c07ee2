"""An attachment's name loses bidi controls and zero-width characters before it is checked and
stored: what the pages show is the name the type check read."""

import pytest

from gongkai.catalogue import services
from gongkai.catalogue.tests.factories import make_docx

pytestmark = pytest.mark.django_db


def test_the_stored_name_has_no_bidi_controls(make_item, people, media_root):
    attachment = services.attachment_add(
        actor=people.editor,
        item=make_item(),
        name="工作\u200b要点\u202e\u2066.docx",
        data=make_docx("六横镇2026年政务公开工作要点"),
    )
    attachment.refresh_from_db()
    assert attachment.original_name == "工作要点.docx"
