"""`gongkai privacy scan|mask FILE` through Django's call_command."""

import io
import json
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TEXT = "申请人：张三，身份证号：11010519491231002X，手机：138-0000-8000。\r\n索引号：11330903002570101X/2026-00001\n"


@pytest.fixture(autouse=True)
def privacy_app(settings):
    """Install the app for these tests if the settings do not list it (yet)."""
    if "gongkai.privacy" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "gongkai.privacy"]


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "公告.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("privacy", *args, stdout=out)
    return out.getvalue()


def test_scan_json(text_file):
    payload = json.loads(run("scan", str(text_file), "--json"))
    findings = payload["findings"]
    assert [f["type"] for f in findings] == ["person_name", "id_card", "mobile"]
    for f in findings:
        assert set(f) == {"type", "start", "end", "text", "confidence", "note"}
        assert TEXT[f["start"] : f["end"]] == f["text"]


def test_scan_json_is_not_ascii_escaped(text_file):
    assert "张三" in run("scan", str(text_file), "--json")


def test_scan_offsets_count_characters_and_keep_crlf(tmp_path):
    path = tmp_path / "crlf.txt"
    text = "第一行\r\n联系电话：13800008000\r\n"
    path.write_bytes(text.encode("utf-8"))
    (finding,) = json.loads(run("scan", str(path), "--json"))["findings"]
    assert text[finding["start"] : finding["end"]] == "13800008000"
    assert finding["start"] == text.index("138")


def test_scan_table(text_file):
    out = run("scan", str(text_file))
    assert "身份证号码" in out
    assert "110105********002X" in out
    assert "共发现 3 处个人信息" in out


def test_scan_table_without_findings(tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text("索引号：11330903002570101X/2026-00001", encoding="utf-8")
    assert run("scan", str(path)) == "未发现个人信息。\n"


def test_mask(text_file):
    assert run("mask", str(text_file)) == (
        "申请人：张*，身份证号：110105********002X，手机：138****8000。\r\n"
        "索引号：11330903002570101X/2026-00001\n"
    )


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("scan", str(tmp_path / "nope.txt"))


def test_directory(tmp_path):
    with pytest.raises(CommandError, match="不是文件"):
        run("mask", str(tmp_path))


def test_undecodable_file(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("申请人：张三".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        run("scan", str(path), "--json")


def test_standard_input(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO("手机：13800008000".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert run("mask", "-") == "手机：138****8000"
