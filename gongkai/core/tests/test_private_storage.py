"""The private storage itself: no URL, and never inside a folder that is served as it is."""

import pytest
from django.core.files.base import ContentFile

from gongkai.core.storage import check_private_root, private_storage


def test_private_files_have_no_url_and_live_under_the_private_root(private_root):
    storage = private_storage()
    name = storage.save("letters/2026/reply.pdf", ContentFile(b"%PDF"))
    assert (private_root / name).read_bytes() == b"%PDF"
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)


def test_a_private_root_inside_a_served_folder_is_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    assert check_private_root() == []
    for served in ("MEDIA_ROOT", "STATIC_ROOT"):
        settings.GONGKAI_PRIVATE_ROOT = tmp_path / served.split("_")[0].lower() / "private"
        (error,) = check_private_root()
        assert error.id == "gongkai.E001" and served in error.msg
    settings.GONGKAI_PRIVATE_ROOT = settings.MEDIA_ROOT
    assert [e.id for e in check_private_root()] == ["gongkai.E001"]
