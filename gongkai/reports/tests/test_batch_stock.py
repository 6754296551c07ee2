"""Inside a batch, one agency's consecutive years are checked for the stock of documents in
force (table 二（一）): last year's 现行有效 + this year's 制发 − 废止 = this year's 现行有效."""

from gongkai.reports import batch, exports
from gongkai.reports.formats import get
from gongkai.reports.importers import import_file

from .batch_files import TAOHUA

AGENCY = "示例县教育局"


def _normative_row(fmt):
    return next(
        row for row in fmt.table("二（一）").data_rows() if row.label.endswith("规范性文件")
    )


def _write(folder, name, *, year, cells):
    doc = exports.document("2021", year=year, agency_name=AGENCY, cells=cells, narrative={})
    (folder / name).write_bytes(exports.export(doc, "html").content)


def test_a_stock_that_does_not_follow_from_last_year_is_a_warning_on_the_later_report(tmp_path):
    base = import_file(TAOHUA)
    fmt = get(base.format)
    row = _normative_row(fmt)
    earlier, later = dict(base.cells), dict(base.cells)
    earlier[fmt.cell_key(row, "in_force")] = 698
    later[fmt.cell_key(row, "issued")] = 77
    later[fmt.cell_key(row, "repealed")] = 132
    later[fmt.cell_key(row, "in_force")] = 470  # 698 + 77 − 132 = 643
    _write(tmp_path, "2022.html", year=2022, cells=earlier)
    _write(tmp_path, "2023.html", year=2023, cells=later)

    checked = {c.year: c for c in batch.check_sources(batch.sources_in_folder(tmp_path))}

    stock = [f for f in checked[2023].findings if f["code"] == "stock_continuity"]
    assert [(f["severity"], f["expected"], f["actual"]) for f in stock] == [("warning", 643, 470)]
    assert not [f for f in checked[2022].findings if f["code"] == "stock_continuity"]


def test_a_stock_that_follows_gives_no_finding(tmp_path):
    base = import_file(TAOHUA)
    fmt = get(base.format)
    row = _normative_row(fmt)
    earlier, later = dict(base.cells), dict(base.cells)
    earlier[fmt.cell_key(row, "in_force")] = 698
    later[fmt.cell_key(row, "issued")] = 77
    later[fmt.cell_key(row, "repealed")] = 132
    later[fmt.cell_key(row, "in_force")] = 643
    _write(tmp_path, "2022.html", year=2022, cells=earlier)
    _write(tmp_path, "2023.html", year=2023, cells=later)

    checked = batch.check_sources(batch.sources_in_folder(tmp_path))

    assert all(f["code"] != "stock_continuity" for c in checked for f in c.findings)
