import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_check_lists_the_findings_and_exits_1(tmp_path, capsys):
    path = tmp_path / "notice.txt"
    path.write_text("根据《中华人民共和国政府公开信息条例》，扫黑险恶。", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command("wording", "check", str(path), "--json")
    assert exited.value.code == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["start"], f["found"], f["suggestion"]) for f in found] == [
        (3, "中华人民共和国政府公开信息条例", "中华人民共和国政府信息公开条例"),
        (20, "扫黑险恶", "扫黑除恶"),
    ]


def test_check_of_correct_text_exits_0(tmp_path, capsys):
    path = tmp_path / "ok.txt"
    path.write_text("根据《中华人民共和国政府信息公开条例》。", encoding="utf-8")
    call_command("wording", "check", str(path))
    assert "未发现" in capsys.readouterr().out


def test_terms_lists_the_built_in_list(capsys):
    call_command("wording", "terms", "--json")
    terms = json.loads(capsys.readouterr().out)["terms"]
    assert len(terms) >= 300
    assert {"correct": "人民检察院", "source": "builtin"}.items() <= next(
        t for t in terms if t["correct"] == "人民检察院"
    ).items()
