"""Imports: all or nothing, row errors, upsert by 事项编码, rerun-safe, XLSX too."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from gongkai.core.models import AuditEvent
from gongkai.matters import imports
from gongkai.matters.models import Material, Matter, MatterStatus

HEADER = "事项编码,事项名称,事项类型,星级,掌上可办,跑零次,最多跑一次,无差别受理板块,无差别受理,法定时限,承诺时限,申请材料"
GOOD = [
    HEADER,
    'LH-1,个体工商户设立登记,行政许可,四星,是,是,是,商事登记,是,15个工作日,1,"申请表|1|原件|必要\n身份证明|1|原件和复印件|必要|核验原件"',
    "LH-2,车船税申报,其他行政权力,三星级,否,否,是,税收服务,是,20,10,申请表",
    "LH-3,居民用电新装,公共服务,,否,否,否,,否,,,",
]


def csv_bytes(lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def run(people, town, lines, **kwargs):
    return imports.matters_import(
        actor=people.editor, agency=town, file_name="matters.csv", data=csv_bytes(lines), **kwargs
    )


def test_a_good_file_creates_drafts_with_materials(people, town, sectors):
    steps = []
    created, updated = run(people, town, GOOD, progress=lambda done, total: steps.append(done))
    assert (len(created), len(updated)) == (3, 0)
    assert steps == [1, 2, 3]
    first = Matter.objects.get(code="LH-1")
    assert first.status == MatterStatus.DRAFT
    assert (first.star, first.mobile, first.zero_visit, first.sector.name) == (
        4,
        True,
        True,
        "商事登记",
    )
    assert (first.statutory_days, first.promised_days) == (15, 1)
    assert [(m.name, m.form, m.required, m.note) for m in first.materials.all()] == [
        ("申请表", "original", True, ""),
        ("身份证明", "original_copy", True, "核验原件"),
    ]
    third = Matter.objects.get(code="LH-3")
    assert third.star is None and third.sector is None
    assert AuditEvent.objects.filter(verb="matter.import").count() == 1


def test_rerunning_the_same_file_changes_nothing(people, town, sectors):
    run(people, town, GOOD)
    events = AuditEvent.objects.count()
    created, updated = run(people, town, GOOD)
    assert created == [] and len(updated) == 3
    assert Matter.objects.count() == 3 and Material.objects.count() == 3
    assert AuditEvent.objects.count() == events + 1  # the import itself, no matter changed


def test_a_known_code_updates_the_matter(people, town, sectors, make_matter):
    published = make_matter("published", code="LH-2", name="旧名称")
    created, updated = run(people, town, GOOD)
    assert len(created) == 2 and updated[0].pk == published.pk
    published.refresh_from_db()
    assert published.name == "车船税申报"
    assert published.status == MatterStatus.DRAFT  # to be published again by a reviewer


def test_bad_rows_store_nothing_and_say_which_row(people, town, sectors):
    lines = [
        HEADER,
        GOOD[1],
        "LH-2,,行政许可,六星,也许,否,是,不存在的板块,是,abc,1,",
        "LH-1,重复编码,行政确认,三星,是,是,否,,否,5,10,申请表|1|原件|必要|备注|多余",
        "LH-4,无差别受理无板块,公共服务,,否,否,否,,是,,,",
    ]
    with pytest.raises(imports.ImportRejected) as caught:
        run(people, town, lines)
    errors = caught.value.row_errors
    by_row = {}
    for error in errors:
        by_row.setdefault(error.row, set()).add(error.field)
    assert by_row[3] >= {"name", "star", "mobile", "sector", "statutory_days"}
    assert by_row[4] >= {"materials"}
    assert 5 in by_row
    assert all(error.message.startswith(("第", "Row")) for error in errors)
    assert not Matter.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="matter.").exists()


def test_repeated_code_in_the_file_is_an_error(people, town, sectors):
    with pytest.raises(imports.ImportRejected) as caught:
        run(people, town, [HEADER, GOOD[2], GOOD[2]])
    assert [e.row for e in caught.value.row_errors] == [3]
    assert not Matter.objects.exists()


def test_missing_and_unknown_headings(people, town):
    preview = imports.matters_preview(
        actor=people.editor,
        agency=town,
        file_name="x.csv",
        data=csv_bytes(["事项名称,颜色", "某事项,红"]),
    )
    messages = " ".join(e.message for e in preview.errors)
    assert "颜色" in messages and "事项编码" in messages and "事项类型" in messages


def test_xlsx_and_permissions(people, town, sectors):
    workbook = Workbook()
    sheet = workbook.active
    for line in [HEADER, GOOD[2]]:
        sheet.append(line.split(","))
    out = io.BytesIO()
    workbook.save(out)
    created, _updated = imports.matters_import(
        actor=people.editor, agency=town, file_name="m.xlsx", data=out.getvalue()
    )
    assert [m.code for m in created] == ["LH-2"]
    with pytest.raises(PermissionDenied):
        imports.matters_preview(
            actor=people.outsider, agency=town, file_name="m.xlsx", data=out.getvalue()
        )
