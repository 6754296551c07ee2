"""A folder of 20+ report files for the batch check's tests (CLI, staff page, browser): the real
reports of the fixtures, and variations made from them (exported as HTML and DOCX by
gongkai.reports.exports): one agency in two consecutive years whose carry-over disagrees, one
whose years agree, a total that is not its parts, a GB18030 copy, and files that are not
reports at all."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

from gongkai.reports import exports
from gongkai.reports.formats import get
from gongkai.reports.importers import import_file

FIXTURES = Path(__file__).parent / "fixtures"
TAOHUA = FIXTURES / "2023_taohua-town-2021-format.html"

# the agencies of the generated reports
DISAGREEING = "示例镇人民政府"  # 2022's 结转下年度 is 1, 2023's 上年结转 is 2
AGREEING = "示例乡人民政府"  # 1 and 1
WRONG_TOTAL = "示例街道办事处"  # 2023: 一 自然人 raised, its total not
BROKEN = ("broken.docx", "broken.pdf", "not-a-report.txt")


def _row_keys(fmt, row_key: str) -> list[str]:
    return [key for _column, key in fmt.cells_of(fmt.row(row_key))]


def _variant(cells: dict, fmt, *, carried_in: int | None = None, raise_one: bool = False) -> dict:
    """The cells with 上年结转 (自然人 and total) set to `carried_in`, the 本年新收 figures lowered
    by as much so that every check of the table still holds; with `raise_one`, 本年新收 自然人
    raised by 5 and its total left as it was."""
    cells = dict(cells)
    new, carried = _row_keys(fmt, "一"), _row_keys(fmt, "二")
    if carried_in is not None:
        shift = carried_in - cells[carried[0]]
        for key in (carried[0], carried[-1]):
            cells[key] += shift
        for key in (new[0], new[-1]):
            cells[key] -= shift
    if raise_one:
        cells[new[0]] += 5
    return cells


def _export(path: Path, *, agency: str, year: int, cells: dict, narrative: dict, kind: str):
    doc = exports.document("2021", year=year, agency_name=agency, cells=cells, narrative=narrative)
    path.write_bytes(exports.export(doc, kind).content)


def build_reports(folder: Path) -> Path:
    """Write the reports into `folder` (made if needed); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(FIXTURES.iterdir()):
        if source.suffix in (".txt", ".html"):
            shutil.copy(source, folder / source.name)
    base = import_file(TAOHUA)
    fmt = get(base.format)
    narrative = {title: "" for title in base.narrative}
    generated = folder / "generated"
    generated.mkdir(exist_ok=True)
    _export(
        generated / "shili-town-2022.docx",
        agency=DISAGREEING,
        year=2022,
        cells=base.cells,
        narrative=narrative,
        kind="docx",
    )
    _export(
        generated / "shili-town-2023.html",
        agency=DISAGREEING,
        year=2023,
        cells=_variant(base.cells, fmt, carried_in=2),
        narrative=narrative,
        kind="html",
    )
    _export(
        generated / "shili-township-2022.html",
        agency=AGREEING,
        year=2022,
        cells=base.cells,
        narrative=narrative,
        kind="html",
    )
    _export(
        generated / "shili-township-2023.docx",
        agency=AGREEING,
        year=2023,
        cells=base.cells,
        narrative=narrative,
        kind="docx",
    )
    _export(
        generated / "shili-subdistrict-2023.docx",
        agency=WRONG_TOTAL,
        year=2023,
        cells=_variant(base.cells, fmt, raise_one=True),
        narrative=narrative,
        kind="docx",
    )
    text = (FIXTURES / "2013_shangyu-xietang-town.txt").read_text(encoding="utf-8")
    (generated / "xietang-gb18030.txt").write_bytes(text.encode("gb18030"))
    (generated / "broken.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    (generated / "broken.pdf").write_bytes(b"%PDF-1.4\n% cut short")
    (generated / "not-a-report.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    return folder


def zip_of(folder: Path) -> bytes:
    """The folder's files as one ZIP (paths relative to the folder)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return out.getvalue()


def small_zip() -> bytes:
    """Three files: one agency's 2022 (DOCX) and 2023 (HTML) whose carry-over disagrees, and
    a broken PDF."""
    base = import_file(TAOHUA)
    fmt = get(base.format)
    narrative = {title: "" for title in base.narrative}
    members = {}
    for name, year, cells, kind in (
        ("reports/shili-town-2022.docx", 2022, base.cells, "docx"),
        ("reports/shili-town-2023.html", 2023, _variant(base.cells, fmt, carried_in=2), "html"),
    ):
        doc = exports.document(
            "2021", year=year, agency_name=DISAGREEING, cells=cells, narrative=narrative
        )
        members[name] = exports.export(doc, kind).content
    members["reports/broken.pdf"] = b"%PDF-1.4\n% cut short"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()
