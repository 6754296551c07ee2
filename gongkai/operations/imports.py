"""Post counts of the agency's 政务新媒体 accounts from a CSV or XLSX file, all or nothing.

The file reading, headings and row errors are the catalogue's (gongkai.catalogue.imports): the
same encodings, the same "第3行：…" messages. A preview checks every row and writes nothing; the
import runs the preview and writes every row through `services.post_count_record` in one
transaction, or raises ImportRejected with every row's error.

Headings: 平台, 账号名称, 开始日期, 结束日期, 发布数 (or the field names platform, account,
period_start, period_end, count). 平台 may be left out when the account name is unique.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

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
    choice_map,
    table_rows,
    write_rows,
)

from . import permissions, services
from .models import NewMediaAccount, Platform, PostCount

__all__ = ["HEADINGS", "ImportRejected", "PostCountsPreview", "post_counts_import"]

HEADINGS = (
    Heading("platform", "平台"),
    Heading("account", "账号名称", required=True, aliases=("账号", "名称")),
    Heading("period_start", "开始日期", required=True, aliases=("起始日期",)),
    Heading("period_end", "结束日期", required=True, aliases=("截止日期",)),
    Heading("count", "发布数", required=True, aliases=("发布信息数", "发文数", "条数")),
)
PLATFORMS = choice_map(Platform.choices)


class _Row(TableRow):
    model = PostCount


MAX_COUNT = 1_000_000


@dataclass
class PostCountRow:
    row: int
    account: NewMediaAccount
    period_start: date
    period_end: date
    count: int


@dataclass
class PostCountsPreview:
    rows: list[PostCountRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _find_account(row: _Row, accounts: list[NewMediaAccount]) -> NewMediaAccount | None:
    name = row.required("account")
    platform = row.choice("platform", PLATFORMS, Platform.labels)
    if not name or (row.text("platform") and platform is None):
        return None
    matches = [
        a for a in accounts if a.name == name and (platform is None or a.platform == platform)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        row.error(
            "account",
            _("%(column)s “%(value)s”: the agency has no such account.")
            % {"column": row.heading("account"), "value": name},
        )
    else:
        row.error(
            "account",
            _("%(column)s “%(value)s” is the name of several accounts: give the %(platform)s.")
            % {"column": row.heading("account"), "value": name, "platform": "平台"},
        )
    return None


def _count(row: _Row) -> int | None:
    raw = row.required("count")
    if not raw:
        return None
    if not re.fullmatch(r"\d{1,7}", raw) or int(raw) > MAX_COUNT:
        row.error(
            "count",
            _("%(column)s “%(value)s” is not a whole number from 0 to %(max)d.")
            % {"column": row.heading("count"), "value": raw, "max": MAX_COUNT},
        )
        return None
    return int(raw)


def post_counts_preview(
    *, actor: User, agency: Agency, file_name: str, data: bytes
) -> PostCountsPreview:
    """Parse and check every row; writes nothing."""
    require(permissions.can_manage_operations(actor, agency))
    rows, found, errors = table_rows(file_name, data, HEADINGS, _Row)
    preview = PostCountsPreview(errors=errors, headings=found)
    if errors:
        return preview
    accounts = list(NewMediaAccount.objects.filter(agency=agency))
    taken: list[tuple[int, date, date, int]] = []  # (account, start, end, row) of good rows
    for row in rows:
        account = _find_account(row, accounts)
        start = row.date("period_start", required=True)
        end = row.date("period_end", required=True)
        count = _count(row)
        if not row.errors:
            try:
                services.post_count_validate(
                    account=account, period_start=start, period_end=end, count=count
                )
            except ValidationError as exc:
                row.service_errors(exc)
        if not row.errors:
            for other_account, other_start, other_end, other_row in taken:
                if other_account == account.pk and other_start <= end and start <= other_end:
                    row.error(
                        "",
                        _("The period overlaps the one of row %(row)d for the same account.")
                        % {"row": other_row},
                    )
                    break
        preview.errors.extend(row.errors)
        if not row.errors:
            taken.append((account.pk, start, end, row.number))
            preview.rows.append(
                PostCountRow(
                    row=row.number, account=account, period_start=start, period_end=end, count=count
                )
            )
    return preview


@transaction.atomic
def post_counts_import(
    *,
    actor: User,
    agency: Agency,
    file_name: str,
    data: bytes,
    progress: Progress | None = None,
) -> list[PostCount]:
    """Record every row, or nothing (raises ImportRejected)."""
    preview = post_counts_preview(actor=actor, agency=agency, file_name=file_name, data=data)
    if preview.errors:
        raise ImportRejected(preview.errors)
    records: list[PostCount] = []
    write_rows(
        preview.rows,
        preview.headings,
        lambda parsed: records.append(
            services.post_count_record(
                actor=actor,
                account=parsed.account,
                period_start=parsed.period_start,
                period_end=parsed.period_end,
                count=parsed.count,
                source=PostCount.Source.IMPORTED,
            )
        ),
        progress,
        _Row,
    )
    audit_import(
        actor=actor,
        verb="post_count.import",
        agency=agency,
        model=PostCount,
        file_name=file_name,
        data=data,
        rows=len(preview.rows),
        post_counts=[record.pk for record in records],
    )
    return records
