"""`gongkai privacy scan` of scans: an image-only PDF of a 处罚决定书 and a PNG are read by OCR
(about a second each) and their ID number and mobile found."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.tests import scans


@pytest.fixture(scope="module")
def scan_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scans")
    png = scans.notice_png()
    (folder / "处罚决定书.pdf").write_bytes(scans.image_pdf(png))
    (folder / "处罚决定书.png").write_bytes(png)
    (folder / "图标.png").write_bytes(scans.tiny_png())
    return folder


def run(*args) -> str:
    out = io.StringIO()
    call_command("privacy", *args, stdout=out)
    return out.getvalue()


def test_an_image_only_pdf_of_a_penalty_decision_is_read_and_its_personal_data_found(
    scan_files, capsys
):
    output = run("scan", str(scan_files / "处罚决定书.pdf"), "--json")
    found = {f["type"]: f["text"] for f in json.loads(output)["findings"]}
    assert found["id_card"] == scans.ID_NUMBER
    assert found["mobile"] == scans.MOBILE
    assert "警告" not in capsys.readouterr().err  # read with confidence


def test_a_png_scan_is_read_and_low_confidence_is_a_warning(scan_files, capsys, settings):
    settings.GONGKAI_OCR_MIN_CONFIDENCE = 99.5  # no real scan reaches it
    table = run("scan", str(scan_files / "处罚决定书.png"))
    assert scans.ID_NUMBER in table and scans.MOBILE in table
    err = capsys.readouterr().err
    assert "警告" in err and "置信度" in err and "人工核对" in err


def test_an_image_too_small_for_text_is_not_passed_as_clean(scan_files):
    with pytest.raises(CommandError, match="OCR"):
        run("scan", str(scan_files / "图标.png"))


def test_without_tesseract_a_scan_is_refused_not_passed(scan_files, settings):
    settings.GONGKAI_OCR_TESSERACT = "/nonexistent/tesseract"
    with pytest.raises(CommandError, match="tesseract"):
        run("scan", str(scan_files / "处罚决定书.pdf"))


def test_every_page_of_a_tiff_scan_is_read(tmp_path):
    pages = [
        scans.notice_png(lines=[f"公民身份号码：{scans.ID_NUMBER}"]),
        scans.notice_png(lines=[f"联系电话：{scans.MOBILE}"]),
    ]
    path = tmp_path / "传真.tif"
    path.write_bytes(scans.tiff(*pages))
    found = {f["type"]: f["text"] for f in json.loads(run("scan", str(path), "--json"))["findings"]}
    assert found["id_card"] == scans.ID_NUMBER
    assert found["mobile"] == scans.MOBILE  # on the second page


def test_a_tiff_cannot_be_masked_inside_the_file(tmp_path):
    path = tmp_path / "传真.tif"
    path.write_bytes(scans.tiff(scans.tiny_png()))
    with pytest.raises(CommandError, match="图片"):
        run("mask", str(path), "-o", str(tmp_path / "out.tif"))
    assert not (tmp_path / "out.tif").exists()


def test_the_help_says_what_is_read_and_what_is_written(capsys):
    for action in ("scan", "mask"):
        with pytest.raises(SystemExit):
            call_command("privacy", action, "--help")
    help_text = capsys.readouterr().out
    assert "OCR" in help_text and "TIFF" in help_text and "扫描" in help_text
    assert "-o" in help_text and "副本" in help_text
    assert "不支持" not in help_text
