"""The demo agency's 2025 annual report, in the 2021 format, published through the services:
the office enters the figures other systems hold, the officer submits, the head of the office
signs it off (four eyes). Idempotent: a report that exists is left as it is."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from gongkai.core.models import Agency, User

from . import services
from .formats import get
from .models import Report

AGENCY = "liuheng"
YEAR = 2025
FORMAT = "2021"
OFFICER = "lh_officer"
HEAD = "lh_head"

# Cells no record here can give (表二: decisions and fees kept in other systems), with the note
# the office records for each.
ENTERED = {
    "行政许可": (Decimal(126), "据浙江政务服务网办件统计"),
    "行政处罚": (Decimal(37), "据综合行政执法队台账"),
    "行政强制": (Decimal(2), "据综合行政执法队台账"),
    "行政事业性收费": (Decimal("0.86"), "据财政所非税收入统计"),
}


# Section 五, which the draft leaves to the office (the demo's own wording).
PROBLEMS_TITLE = "五、存在的主要问题及改进情况"
PROBLEMS = (
    "（一）存在的主要问题：一是政策解读形式较为单一，图解、视频等形式运用不多；二是部分村（社区）"
    "公开栏更新不够及时；三是依申请公开答复文书的说理还需加强。\n"
    "（二）改进情况：一是丰富解读形式，重要政策文件同步发布图文解读；二是建立村（社区）公开栏"
    "季度检查制度；三是组织依申请公开业务培训，规范答复文书的法律依据和救济途径表述。"
)


def load_reports_demo() -> bool:
    """Create and publish the 2025 report once; True when it was made now."""
    agency = Agency.objects.get(slug=AGENCY)
    if Report.objects.filter(agency=agency, year=YEAR).exists():
        return False
    officer = User.objects.get(username=OFFICER)
    head = User.objects.get(username=HEAD)
    format_ = get(FORMAT)
    with transaction.atomic():
        report = services.report_start(actor=officer, agency=agency, year=YEAR, fmt=FORMAT)
        for row in format_.entered_rows():
            value, note = ENTERED[row.label]
            for _column, cell_key in format_.cells_of(row):
                services.report_entry_set(
                    actor=officer,
                    agency=agency,
                    year=YEAR,
                    fmt=FORMAT,
                    cell_key=cell_key,
                    value=value,
                    note=note,
                )
        report = services.report_narrative_draft(actor=officer, report=report)
        report = services.report_narrative_set(
            actor=officer, report=report, narrative={PROBLEMS_TITLE: PROBLEMS}
        )
        report = services.report_transition(actor=officer, report=report, action="submit")
        services.report_transition(actor=head, report=report, action="publish")
    return True
