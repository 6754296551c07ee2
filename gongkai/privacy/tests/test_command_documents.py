"""`gongkai privacy scan FILE` on Word, Excel, PDF and image files, through the uploads' reader
(gongkai.catalogue.files.inspect_upload): their text is scanned, and a hostile file is refused
as an upload is, fast and in little memory."""

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

ID_NUMBER, MOBILE = "11010519491231002X", "13800008000"


def run(*args) -> str:
    out = StringIO()
    call_command("privacy", *args, stdout=out)
    return out.getvalue()


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


def test_mask_refuses_a_document(tmp_path):
    path = tmp_path / "名单.docx"
    path.write_bytes(make_docx("正文"))
    with pytest.raises(CommandError, match="不是文本文件"):
        run("mask", str(path))


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
