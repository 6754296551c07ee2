"""`gongkai privacy scan FILE` on Word, Excel, PDF and image files, through the uploads' reader
(gongkai.catalogue.files.inspect_upload): their text is scanned, and a hostile file is refused
as an upload is, fast and in little memory. `gongkai privacy mask FILE -o OUT` writes a
de-identified copy of a Word, Excel or PDF file (gongkai.privacy.documents)."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.catalogue.tests.factories import make_docx, make_pdf, make_png, make_xlsx
from gongkai.core.tests import hostile
from gongkai.privacy.findings import PUBLIC_CONTACT_NOTES
from gongkai.privacy.tests.test_documents import ID_1 as ROSTER_ID_1
from gongkai.privacy.tests.test_documents import ID_2 as ROSTER_ID_2
from gongkai.privacy.tests.test_documents import make_notice, make_roster, make_scan_pdf
from gongkai.privacy.tests.test_documents import make_pdf as make_decision

ID_NUMBER, MOBILE = "11010519491231002X", "13800008000"


def run(*args) -> str:
    out = StringIO()
    call_command("privacy", *args, stdout=out)
    return out.getvalue()


def personal(path) -> list[tuple[str, str]]:
    """(type, text) of what `scan` finds, but the agency's own published lines."""
    payload = json.loads(run("scan", str(path), "--json"))
    return [
        (f["type"], f["text"]) for f in payload["findings"] if f["note"] not in PUBLIC_CONTACT_NOTES
    ]


def found(path) -> dict[str, str]:
    payload = json.loads(run("scan", str(path), "--json"))
    return {f["type"]: f["text"] for f in payload["findings"]}


@pytest.mark.parametrize(
    "name, data",
    [
        ("名单.docx", make_docx(f"申请人身份证号码：{ID_NUMBER}，手机：{MOBILE}。")),
        ("名单.xlsx", make_xlsx([["身份证号码", "手机"], [ID_NUMBER, MOBILE]])),
        ("名单.pdf", make_pdf(f"ID {ID_NUMBER} Tel {MOBILE}")),
        ("名单", make_docx(f"身份证号码：{ID_NUMBER}，手机：{MOBILE}。")),  # no extension
    ],
    ids=["docx", "xlsx", "pdf", "by-content"],
)
def test_scan_reads_documents(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    findings = found(path)
    assert findings["id_card"] == ID_NUMBER
    assert findings["mobile"] == MOBILE


def test_an_image_is_not_passed_as_clean(tmp_path):
    path = tmp_path / "现场.png"
    path.write_bytes(make_png())
    with pytest.raises(CommandError, match="OCR"):
        run("scan", str(path))


def test_mask_asks_for_an_output_file_for_a_document(tmp_path):
    path = tmp_path / "名单.docx"
    path.write_bytes(make_docx("正文"))
    with pytest.raises(CommandError, match="请用 -o 指定输出文件"):
        run("mask", str(path))


@pytest.mark.parametrize(
    "name, make",
    [("公示.docx", make_notice), ("补助名单.xlsx", make_roster), ("决定书.pdf", make_decision)],
    ids=["docx", "xlsx", "pdf"],
)
def test_mask_writes_a_masked_copy_that_rescans_clean(tmp_path, name, make):
    source = tmp_path / name
    original = make()
    source.write_bytes(original)
    assert personal(source)  # the original has personal data the scan reads
    target = tmp_path / f"遮蔽-{name}"
    output = run("mask", str(source), "-o", str(target))
    assert "已遮蔽的个人信息" in output and "身份证号码" in output and "手机号码" in output
    assert f"已写入：{target}" in output
    assert "仍发现" not in output
    assert personal(target) == []  # `privacy scan` of the copy
    assert source.read_bytes() == original  # the original is kept


def test_scan_reads_tables_as_tab_separated_rows(tmp_path):
    """What `scan` reads of a roster is a row a line, cells by TAB (the names detector's
    column rule reads it): the offsets point into that text."""
    path = tmp_path / "补助名单.xlsx"
    path.write_bytes(make_roster())
    payload = json.loads(run("scan", str(path), "--json"))
    ids = [f for f in payload["findings"] if f["type"] == "id_card"]
    assert [f["text"] for f in ids] == [ROSTER_ID_1, ROSTER_ID_2]
    from gongkai.catalogue import files

    text = files.extract_text(files.XLSX, make_roster())
    assert text[ids[0]["start"] : ids[0]["end"]] == ROSTER_ID_1
    assert text.splitlines()[0] == "序号\t户主姓名\t身份证号\t手机\t金额\t合计"


def test_mask_with_nothing_found_writes_an_unchanged_copy(tmp_path):
    source = tmp_path / "要点.docx"
    source.write_bytes(make_docx("六横镇2026年政务公开工作要点", author="Administrator"))
    target = tmp_path / "out.docx"
    output = run("mask", str(source), "-o", str(target))
    assert "未发现个人信息" in output
    assert target.read_bytes() == source.read_bytes()


def test_mask_will_not_overwrite_its_input(tmp_path):
    source = tmp_path / "公示.docx"
    original = make_notice()
    source.write_bytes(original)
    with pytest.raises(CommandError, match="不能是输入文件本身"):
        run("mask", str(source), "-o", str(source))
    assert source.read_bytes() == original


def test_mask_refuses_a_scan_and_an_image(tmp_path):
    scan_path = tmp_path / "扫描件.pdf"
    scan_path.write_bytes(make_scan_pdf())
    with pytest.raises(CommandError, match="扫描件没有文字层"):
        run("mask", str(scan_path), "-o", str(tmp_path / "out.pdf"))
    image = tmp_path / "现场.png"
    image.write_bytes(make_png())
    with pytest.raises(CommandError, match="无法在图片中遮蔽"):
        run("mask", str(image), "-o", str(tmp_path / "out.png"))
    assert not (tmp_path / "out.pdf").exists() and not (tmp_path / "out.png").exists()


def test_mask_refuses_a_hostile_document_as_an_upload_is(tmp_path):
    path = tmp_path / "方案.docx"
    path.write_bytes(hostile.ratio_bomb())
    with pytest.raises(CommandError, match="压缩比超过 100∶1"):
        run("mask", str(path), "-o", str(tmp_path / "out.docx"))


def test_mask_writes_masked_text_to_the_output_file(tmp_path):
    source = tmp_path / "答复.txt"
    source.write_text(f"申请人：林国庆，手机：{MOBILE}。", encoding="utf-8")
    target = tmp_path / "out.txt"
    assert run("mask", str(source), "-o", str(target)) == ""
    assert target.read_text(encoding="utf-8") == "申请人：林*庆，手机：138****8000。"


@pytest.mark.parametrize(
    "name, make, message",
    [
        ("方案.docx", hostile.ratio_bomb, "压缩比超过 100∶1"),
        ("宽表.xlsx", hostile.xlsx_wide, "解压后超过 50 MB"),
        ("现场.png", hostile.png_bomb, "兆像素"),
    ],
    ids=["ratio", "wide-xlsx", "pixels"],
)
def test_hostile_files_are_refused_as_uploads_are(tmp_path, name, make, message):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(CommandError, match=message):
        run("scan", str(path))


# Django's start (the same for a text file) is left out of the time, which is the CPU time of
# the command (a loaded machine stretches the wall clock); the memory is the whole process's
# peak resident set.
MEASURE = """
import sys, time
import django
django.setup()
from gongkai.cli import main
start = time.process_time()
try:
    main(["privacy", "scan", sys.argv[1]])
    code = 0
except SystemExit as exit:
    code = exit.code
seconds = time.process_time() - start
# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over execve, so the process
# would report the peak of the pytest worker that forked it
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
print(f"{code} {seconds:.3f} {peak}", file=sys.stderr)
"""


def test_the_docx_bomb_is_refused_by_the_command_line(tmp_path):
    """The real command in a process of its own: the refusal, its time and the process's whole
    peak resident memory (Python, Django and the bomb)."""
    path = tmp_path / "通知.docx"
    path.write_bytes(hostile.docx_bomb())  # word/document.xml: 1 GiB
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.test"},
    )
    *output, measures = result.stderr.strip().splitlines()
    code, seconds, peak = measures.split()
    assert int(code) == 1
    assert "“通知.docx”中的“word/document.xml”解压后超过 50 MB，无法安全读取。" in "\n".join(output)
    assert float(seconds) < 2.0
    assert int(peak) < 200 * 2**20
