"""Import service matters from a CSV or XLSX file, all or nothing, upserting by 事项编码.

The file reading, headings and row errors are the catalogue's (gongkai.catalogue.imports): the
first row holds the headings (the Chinese labels below, or the field names), rows are numbered
as a spreadsheet numbers them, and every error names its row ("第3行：…"). A preview checks every
row and writes nothing; the import runs the preview, then writes every row in one transaction
through `services.matter_create` / `services.matter_update`, or nothing (`ImportRejected`).

A row whose 事项编码 the agency already has updates that matter (a published one becomes a draft
to publish again, as when edited by hand); an unchanged row changes nothing. Running the same
file twice is therefore safe.

申请材料 go in one cell, one material per line: 名称|份数|形式|必要|备注 (only the name is
required; 份数 defaults to 1, 形式 to 原件, 必要 to 是).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.tables import (
    Heading,
    ImportRejected,
    Progress,
    RowError,
    TableRow,
    audit_import,
    table_rows,
    write_rows,
)

from . import permissions, services
from .models import MaterialForm, Matter, MatterStatus, MatterType, ServiceSector, Star

__all__ = ["ImportRejected", "MatterRow", "MattersPreview", "matters_import", "matters_preview"]

BOOLEAN_FIELDS = (
    "charged",
    "online_application",
    "fully_online",
    "express_delivery",
    "zero_visit",
    "online",
    "mobile",
    "at_most_once",
    "at_most_once_required",
    "no_difference",
)
TEXT_FIELDS = (
    "legal_basis",
    "conditions",
    "procedure",
    "fee_basis",
    "fee_standard",
    "place",
    "hours",
    "consult_phone",
    "complaint_phone",
)

MATTER_HEADINGS = (
    Heading("code", "事项编码", required=True, aliases=("编码", "事项代码")),
    Heading("name", "事项名称", required=True, aliases=("名称",)),
    Heading("matter_type", "事项类型", required=True, aliases=("类型", "权力类型")),
    Heading("legal_basis", "设定依据", aliases=("法律依据",)),
    Heading("conditions", "受理条件", aliases=("申请条件",)),
    Heading("materials", "申请材料", aliases=("材料",)),
    Heading("procedure", "办理流程", aliases=("流程",)),
    Heading("statutory_days", "法定时限", aliases=("法定办结时限",)),
    Heading("promised_days", "承诺时限", aliases=("承诺办结时限",)),
    Heading("charged", "是否收费", aliases=("收费",)),
    Heading("fee_basis", "收费依据"),
    Heading("fee_standard", "收费标准"),
    Heading("place", "办理地点"),
    Heading("hours", "办理时间"),
    Heading("consult_phone", "咨询电话", aliases=("咨询方式",)),
    Heading("complaint_phone", "监督电话", aliases=("投诉电话", "监督投诉电话")),
    Heading("star", "星级"),
    Heading("online_application", "网上申报"),
    Heading("fully_online", "全程网办"),
    Heading("express_delivery", "快递送达"),
    Heading("zero_visit", "跑零次", aliases=("零跑腿", "零次跑")),
    Heading("online", "网上可办", aliases=("网上办",)),
    Heading("mobile", "掌上可办", aliases=("掌上办", "移动端可办")),
    Heading("at_most_once", "最多跑一次"),
    Heading("at_most_once_required", "省定应当实现最多跑一次", aliases=("应当实现最多跑一次",)),
    Heading("sector", "无差别受理板块", aliases=("板块",)),
    Heading("no_difference", "无差别受理"),
)

TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "收费"}
FALSE = {"否", "无", "n", "no", "false", "0", "×", "不收费", "免费"}
STAR_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_STAR = re.compile(r"([1-5一二三四五])\s*星级?")
_DAYS = re.compile(r"(\d{1,4})\s*(?:个)?\s*(?:工作日|日|天)?")
_MATERIAL_SEPARATOR = re.compile(r"\s*[|｜]\s*")


@dataclass
class MatterRow:
    row: int
    values: dict[str, Any]  # keyword arguments of services.matter_create (sector a ServiceSector)
    materials: list[dict]
    existing: Matter | None  # the matter this row updates, None for a new one


@dataclass
class MattersPreview:
    rows: list[MatterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new(self) -> int:
        return sum(1 for row in self.rows if row.existing is None)

    @property
    def updated(self) -> int:
        return len(self.rows) - self.new


class _Row(TableRow):
    model = Matter
    known = MATTER_HEADINGS  # "materials" is no model field

    def boolean(self, name: str) -> bool | None:
        raw = self.text(name)
        if not raw:
            return None
        value = raw.lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        self.error(
            name,
            _("%(column)s “%(value)s” is neither 是 nor 否.")
            % {"column": self.heading(name), "value": raw},
        )
        return None

    def days(self, name: str) -> int | None:
        raw = self.text(name)
        if not raw:
            return None
        match = _DAYS.fullmatch(raw)
        if match is None:
            self.error(
                name,
                _("%(column)s “%(value)s” is not a number of working days.")
                % {"column": self.heading(name), "value": raw},
            )
            return None
        return int(match.group(1))

    def star(self) -> int | None:
        raw = self.text("star")
        if not raw or raw in {"无", "未定级", "-", "—"}:
            return None
        if raw.isdigit() and int(raw) in Star.values:
            return int(raw)
        match = _STAR.fullmatch(raw)
        if match is None:
            self.error(
                "star",
                _("%(column)s “%(value)s” is not one of: %(choices)s.")
                % {"column": self.heading("star"), "value": raw, "choices": "、".join(Star.labels)},
            )
            return None
        digit = match.group(1)
        return int(digit) if digit.isdigit() else STAR_WORDS[digit]


def _choice(mapping_choices) -> dict[str, str]:
    mapping = {}
    for code, label in mapping_choices:
        mapping[code] = code
        mapping[str(label)] = code
    return mapping


MATTER_TYPES = _choice(MatterType.choices)
FORMS = _choice(MaterialForm.choices)


def _materials(row: _Row) -> list[dict]:
    text = row.text("materials")
    materials = []
    for number, line in enumerate((x for x in text.splitlines() if x.strip()), 1):
        parts = _MATERIAL_SEPARATOR.split(line.strip())
        if len(parts) > 5:
            row.error(
                "materials",
                _("Material %(n)d has more than five parts (名称|份数|形式|必要|备注).")
                % {"n": number},
            )
            continue
        parts += [""] * (5 - len(parts))
        name, copies, form, required, note = parts
        material: dict[str, Any] = {"name": name, "note": note}
        if copies:
            digits = re.fullmatch(r"(\d{1,2})\s*份?", copies)
            if digits is None:
                row.error(
                    "materials",
                    _("Material %(n)d: the number of copies “%(value)s” is not a number.")
                    % {"n": number, "value": copies},
                )
            else:
                material["copies"] = int(digits.group(1))
        if form:
            if form not in FORMS:
                row.error(
                    "materials",
                    _("Material %(n)d: the form “%(value)s” is not one of: %(choices)s.")
                    % {"n": number, "value": form, "choices": "、".join(MaterialForm.labels)},
                )
            else:
                material["form"] = FORMS[form]
        if required:
            if required in {"是", "必要", "必须", "必需", "y", "1"}:
                material["required"] = True
            elif required in {"否", "非必要", "非必须", "容缺", "n", "0"}:
                material["required"] = False
            else:
                row.error(
                    "materials",
                    _("Material %(n)d: “%(value)s” should say 必要 or 非必要.")
                    % {"n": number, "value": required},
                )
        materials.append(material)
    return materials


def _values(row: _Row, sectors: dict[str, ServiceSector]) -> tuple[dict, list[dict]]:
    values: dict[str, Any] = {}
    values["code"] = row.required("code") and row.limited("code", 64)
    values["name"] = row.required("name") and row.limited("name", 200)
    raw_type = row.required("matter_type")
    if raw_type:
        code = MATTER_TYPES.get(raw_type)
        if code is None:
            row.error(
                "matter_type",
                _("%(column)s “%(value)s” is not one of: %(choices)s.")
                % {
                    "column": row.heading("matter_type"),
                    "value": raw_type,
                    "choices": "、".join(MatterType.labels),
                },
            )
        values["matter_type"] = code
    for name in TEXT_FIELDS:
        if name in row.headings:
            max_length = getattr(Matter._meta.get_field(name), "max_length", None)
            values[name] = row.limited(name, max_length) if max_length else row.text(name)
    for name in ("statutory_days", "promised_days"):
        if name in row.headings:
            values[name] = row.days(name)
    for name in BOOLEAN_FIELDS:
        if name in row.headings:
            values[name] = bool(row.boolean(name))
    if "star" in row.headings:
        values["star"] = row.star()
    if "sector" in row.headings:
        raw = row.text("sector")
        values["sector"] = None
        if raw:
            sector = sectors.get(raw)
            if sector is None:
                row.error(
                    "sector",
                    _("%(column)s “%(value)s” is not one of: %(choices)s.")
                    % {
                        "column": row.heading("sector"),
                        "value": raw,
                        "choices": "、".join(sectors),
                    },
                )
            values["sector"] = sector
    materials = _materials(row) if "materials" in row.headings else None
    return values, materials


def matters_preview(*, actor: User, agency: Agency, file_name: str, data: bytes) -> MattersPreview:
    """Parse and check every row of a matters file; writes nothing."""
    require(permissions.can_import_matters(actor, agency))
    rows, found, errors = table_rows(file_name, data, MATTER_HEADINGS, _Row)
    preview = MattersPreview(errors=errors, headings=found)
    if errors:
        return preview
    sectors = {s.name: s for s in services.sectors_ensure_defaults(agency) if s.is_active}
    existing = {
        m.code: m
        for m in Matter.objects.filter(
            agency=agency, code__in={row.text("code") for row in rows}
        ).select_related("agency", "sector")
    }
    seen: dict[str, int] = {}
    for row in rows:
        values, materials = _values(row, sectors)
        matter = existing.get(values["code"]) if values["code"] else None
        if not row.errors:
            if matter is None:
                try:
                    services.matter_validate(agency=agency, materials=materials or [], **values)
                except ValidationError as exc:
                    row.service_errors(exc)
            elif matter.status == MatterStatus.RETIRED:
                row.error(
                    "code",
                    _("The matter “%(code)s” is retired: reopen it before importing it again.")
                    % {"code": matter.code},
                )
            else:
                if not permissions.can_edit_matter(actor, matter):
                    row.error("", _("You do not have permission to do this."))
                checked = Matter(
                    **{f.attname: getattr(matter, f.attname) for f in Matter._meta.concrete_fields}
                )
                for name, value in values.items():
                    setattr(checked, name, value)
                try:
                    services.matter_validate(
                        agency=agency,
                        materials=materials or [],
                        **{name: getattr(checked, name) for name in services.MATTER_FIELDS},
                    )
                except ValidationError as exc:
                    row.service_errors(exc)
        code = values["code"]
        if code and not row.errors:
            if code in seen:
                row.error(
                    "code",
                    _("This row repeats the 事项编码 of row %(first)d.") % {"first": seen[code]},
                )
            else:
                seen[code] = row.number
        preview.errors.extend(row.errors)
        if not row.errors:
            preview.rows.append(
                MatterRow(
                    row=row.number,
                    values=values,
                    materials=materials,
                    existing=matter,
                )
            )
    return preview


@transaction.atomic
def matters_import(
    *,
    actor: User,
    agency: Agency,
    file_name: str,
    data: bytes,
    progress: Progress | None = None,
) -> tuple[list[Matter], list[Matter]]:
    """Create or update every row, or nothing (raises ImportRejected). (created, updated)."""
    preview = matters_preview(actor=actor, agency=agency, file_name=file_name, data=data)
    if preview.errors:
        raise ImportRejected(preview.errors)
    created: list[Matter] = []
    updated: list[Matter] = []

    def write(matter_row: MatterRow) -> None:
        if matter_row.existing is None:
            created.append(
                services.matter_create(
                    actor=actor,
                    agency=agency,
                    materials=matter_row.materials or [],
                    **matter_row.values,
                )
            )
        else:
            updated.append(
                services.matter_update(
                    actor=actor,
                    matter=matter_row.existing,
                    data=matter_row.values,
                    materials=matter_row.materials,
                )
            )

    write_rows(preview.rows, preview.headings, write, progress, _Row)
    audit_import(
        actor=actor,
        verb="matter.import",
        agency=agency,
        model=Matter,
        file_name=file_name,
        data=data,
        rows=len(preview.rows),
        created=[m.pk for m in created],
        updated=[m.pk for m in updated],
    )
    return created, updated
