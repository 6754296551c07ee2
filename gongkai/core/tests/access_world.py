"""The data the access matrix (test_access_matrix.py) requests pages and operations against.

Agency A (六横镇, `liuheng`) owns one object for every path parameter of the staff pages and the
API: columns, items in each status with attachments, an application with a letter, a file, a
consultation and an appeal, incidents, conferences, interpretations, a 找错 report, a matter,
operations records and an annual report. Agency B (桃花镇, `taohua`) is the foreign agency; the
district above both (普陀区) has the supervisor.

Every record that only A's staff may read carries SECRET in its text, so a response to a
principal outside A can be searched for it (a leak shows even where the status is right).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.api import services as api_services
from gongkai.applications import services as application_services
from gongkai.applications.models import Letter
from gongkai.applications.services import ApplicationInput
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.imports_queue import IMPORT_ITEMS_TASK
from gongkai.catalogue.models import Attachment, OcrStatus
from gongkai.catalogue.taxonomy import ChannelKind, ColumnType, Genre
from gongkai.core import services as core_services
from gongkai.core.models import AgencyLevel, CalendarYear, Role, Task, TaskStatus, User
from gongkai.core.tests.factories import AgencyFactory, UserFactory
from gongkai.engagement import services as engagement_services
from gongkai.matters import services as matter_services
from gongkai.operations import services as operations_services
from gongkai.reports import services as report_services
from gongkai.reports import services_batch as report_batch_services

SECRET = "ZQXSECRET"
PUBLIC_TITLE = "六横镇防汛工作方案"
CHECKS = catalogue_services.ReviewChecks(secrecy=True, privacy=True, wording=True)
REPORT_YEAR = 2025

# The principals of the matrix: anonymous, a signed-in user without any role, each role of
# agency A (the supervisor holds its role at the district above A), a user holding every role
# of the foreign agency B, and a platform administrator without any role.
OWN_ROLES = {
    "editor": Role.EDITOR,
    "reviewer": Role.REVIEWER,
    "officer": Role.OFFICER,
    "head": Role.OFFICE_HEAD,
    "admin": Role.AGENCY_ADMIN,
}
PRINCIPALS = (
    "anon",
    "nobody",
    *OWN_ROLES,
    "supervisor",
    "foreign",
    "superuser",
)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _roster_docx(line: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(f"{SECRET} {line}，联系电话13905801234")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass
class World:
    district: object = None
    town: object = None
    other: object = None
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    obj: dict[str, object] = field(default_factory=dict)


def _person(**extra) -> ApplicationInput:
    values = {
        "applicant_type": "natural_person",
        "applicant_name": "王小明",
        "id_type": "resident_id",
        "id_number": "330902199001011238",
        "phone": "13800138000",
        "information": f"{SECRET} 2025年六横镇海塘加固工程的招标文件",
        "forms": ["email"],
        "delivery": "email",
        "email": "wang@example.com",
    }
    values.update(extra)
    return ApplicationInput(**values)


def build_world() -> World:
    # The calendar a migration seeds; a transactional test run before this module emptied it.
    if not CalendarYear.objects.filter(is_complete=True).exists():
        core_services.calendar_seed_from_package()
    w = World()
    w.district = AgencyFactory(
        name="舟山市普陀区人民政府", short_name="普陀区", slug="putuo", level=AgencyLevel.COUNTY
    )
    w.town = town = AgencyFactory(
        name="六横镇人民政府", short_name="六横镇", slug="liuheng", parent=w.district
    )
    w.other = other = AgencyFactory(
        name="桃花镇人民政府", short_name="桃花镇", slug="taohua", parent=w.district
    )

    def member(username: str, agency, *roles) -> User:
        user = UserFactory(username=username)
        for role in roles:
            core_services.membership_grant(actor=None, user=user, agency=agency, role=role)
        return user

    users = w.users
    users["nobody"] = UserFactory(username="m_nobody")
    for key, role in OWN_ROLES.items():
        users[key] = member(f"m_{key}", town, role)
    users["supervisor"] = member("m_supervisor", w.district, Role.SUPERVISOR)
    users["foreign"] = member("m_foreign", other, *Role.values)
    users["superuser"] = UserFactory(username="m_superuser", is_superuser=True, is_staff=True)
    # A second author, so that the reviewer and the officer review someone else's submission.
    author = member("m_author", town, Role.EDITOR)
    for key, user in users.items():
        _token, w.tokens[key] = api_services.api_token_create(actor=None, user=user, name="matrix")

    o = w.obj
    _catalogue(w, author)
    _applications(w)
    _engagement(w, author)
    _matters(w, author)
    _operations(w)
    _reports(w)
    _exports(w)
    o["assignee"] = users["officer"]
    o["upload"] = lambda: SimpleUploadedFile("图片.png", _png(), content_type="image/png")
    return w


def _exports(w: World) -> None:
    """A finished export of the item list (gongkai.core.exports) the officer started, its file
    kept; and a publications import the officer confirmed, finished."""
    from django.utils import timezone

    from gongkai.catalogue.exports_queue import ITEMS_EXPORT
    from gongkai.catalogue.imports_queue import IMPORT_PUBLICATIONS_TASK
    from gongkai.core import exports

    o = w.obj
    started = exports.export_start(actor=w.users["officer"], agency=w.town, kind=ITEMS_EXPORT)
    exports.export_run(name=ITEMS_EXPORT, payload=started.payload, progress=lambda text: None)
    Task.objects.filter(pk=started.pk).update(status=TaskStatus.DONE, finished_at=timezone.now())
    o["export"] = started
    o["publication_import"] = Task.objects.create(
        name=IMPORT_PUBLICATIONS_TASK,
        status=TaskStatus.DONE,
        progress="1 / 1",
        payload={
            "agency": w.town.pk,
            "user": w.users["officer"].pk,
            "channel": o["channel"].pk,
            "file": "imports/" + "2" * 32,
            "file_name": "发布.csv",
            "sha256": "2" * 64,
            "result": {"publications": []},
        },
    )


def _catalogue(w: World, author: User) -> None:
    town, o, reviewer = w.town, w.obj, w.users["reviewer"]
    o["column"] = column = catalogue_services.column_create(
        actor=None, agency=town, name="政策文件", column_type=ColumnType.POLICY
    )
    o["channel"] = catalogue_services.channel_create(
        actor=None, agency=town, kind=ChannelKind.WEIBO, name="六横发布", account="liuheng"
    )

    def item(title: str):
        return catalogue_services.item_create(
            actor=author,
            agency=town,
            column=column,
            title=title,
            formed_on=date(2026, 3, 2),
            genre=Genre.OTHER_DOCUMENT,
        )

    o["draft"] = draft = item(f"{SECRET} 草稿")
    o["draft_attachment"] = catalogue_services.attachment_add(
        actor=author, item=draft, name="附件.png", data=_png()
    )
    # A Word roster with personal data (its masking pages) and one already masked (its kept
    # original).
    o["draft_roster"] = catalogue_services.attachment_add(
        actor=author, item=draft, name="名单.docx", data=_roster_docx("申请人：王建国")
    )
    masked = catalogue_services.attachment_add(
        actor=author, item=draft, name="花名册.docx", data=_roster_docx("户主：李秀英")
    )
    o["masked_roster"] = catalogue_services.attachment_mask(actor=author, attachment=masked)
    o["pending"] = catalogue_services.item_submit(actor=author, item=item(f"{SECRET} 待审"))
    approved = catalogue_services.item_submit(actor=author, item=item(f"{SECRET} 已审"))
    o["approved"] = catalogue_services.item_approve(
        actor=reviewer, item=approved, checks=CHECKS, publish_now=False
    )
    published = item(PUBLIC_TITLE)
    o["published_attachment"] = catalogue_services.attachment_add(
        actor=author, item=published, name="方案.png", data=_png()
    )
    published = catalogue_services.item_submit(actor=author, item=published)
    published = catalogue_services.item_approve(actor=reviewer, item=published, checks=CHECKS)
    o["published"] = catalogue_services.item_publish(actor=reviewer, item=published)
    # Scans as the OCR task leaves them: one read unreliably on the draft (its page image, a
    # reviewer's check), and the published attachment read well (its text version, 文字版).
    o["draft_scan"] = _scan(draft, author)
    # an items import the officer confirmed, finished (its page: the officer's alone)
    o["item_import"] = Task.objects.create(
        name=IMPORT_ITEMS_TASK,
        status=TaskStatus.DONE,
        progress="1 / 1",
        payload={
            "agency": town.pk,
            "user": w.users["officer"].pk,
            "file": "imports/" + "0" * 32,
            "file_name": "条目.csv",
            "sha256": "0" * 64,
            "result": {"items": [o["draft"].pk]},
        },
    )
    o["matter_import"] = Task.objects.create(
        name="matters.import_matters",
        status=TaskStatus.DONE,
        progress="1 / 1",
        payload={
            "agency": town.pk,
            "user": w.users["officer"].pk,
            "file": "imports/" + "1" * 32,
            "file_name": "事项.csv",
            "sha256": "1" * 64,
            "result": {"created": [], "updated": []},
        },
    )
    # a post counts import the officer confirmed, finished (its page: the officer's alone)
    o["post_import"] = Task.objects.create(
        name="operations.import_posts",
        status=TaskStatus.DONE,
        progress="0 / 0",
        payload={
            "agency": town.pk,
            "user": w.users["officer"].pk,
            "file": "imports/" + "2" * 32,
            "file_name": "发文数.csv",
            "sha256": "2" * 64,
            "result": {"post_counts": []},
        },
    )
    Attachment.objects.filter(pk=o["published_attachment"].pk).update(
        ocr_status=OcrStatus.DONE, text="六横镇公开文件的扫描件文字"
    )


def _scan(item, author: User):
    data = _png()
    scan = Attachment(
        item=item,
        original_name="扫描件.png",
        kind="png",
        content_type="image/png",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        ocr_status=OcrStatus.LOW_CONFIDENCE,
        ocr_confidence=41.0,
        ocr_layout=[{"page": 1, "width": 4, "height": 3, "words": [], "offsets": []}],
        uploaded_by=author,
    )
    scan.file.save("扫描件.png", ContentFile(data), save=False)
    scan.save()
    return scan


def _applications(w: World) -> None:
    town, o, officer = w.town, w.obj, w.users["officer"]
    submitted = application_services.application_submit(
        agency=town, data=_person(), channel="in_person", actor=officer
    )
    o["application"] = application = submitted.application
    o["query_code"] = submitted.query_code
    o["application_file"] = application_services.application_file_add(
        actor=officer, application=application, name="清单.png", data=_png()
    )
    o["consultation"] = application_services.consultation_start(
        actor=officer, application=application, kind="agency", addressee="区资规局"
    )
    o["appeal"] = application_services.appeal_record(
        actor=officer,
        application=application,
        kind="review",
        filed_on=date(2026, 3, 2),
        body="普陀区人民政府",
    )
    o["letter"] = Letter.objects.filter(application=application, for_applicant=False).first()
    # A second application, replied 予以公开 with one released file: what its applicant (who
    # unlocked its status page with the number and the query code) may download.
    replied = application_services.application_submit(
        agency=w.town,
        data=_person(applicant_name="李小红", information="2025年六横镇防汛物资采购清单"),
    )
    o["replied"] = replied.application
    o["replied_code"] = replied.query_code
    application_services.application_confirm_receipt(actor=officer, application=o["replied"])
    o["released_file"] = application_services.application_file_add(
        actor=officer, application=o["replied"], name="招标公告.png", data=_png()
    )
    application_services.application_reply(
        actor=officer,
        application=o["replied"],
        outcome="disclosed",
        release=[o["released_file"].pk],
    )
    o["reply_letter"] = Letter.objects.get(application=o["replied"], kind="reply")


def _engagement(w: World, author: User) -> None:
    town, o = w.town, w.obj
    o["incident"] = engagement_services.incident_create(
        actor=None,
        agency=town,
        topic=f"{SECRET} 海塘",
        source="weibo",
        first_seen_on=date(2026, 3, 1),
        description=SECRET,
    )
    o["conference"] = engagement_services.conference_create(
        actor=None, agency=town, held_on=date(2026, 3, 1), topic="防汛", speakers="镇长"
    )
    o["interpretation"] = engagement_services.interpretation_create(
        actor=None,
        agency=town,
        policy=o["published"],
        form="text",
        title="图解防汛工作方案",
        published_on=date(2026, 3, 3),
    )
    o["error_report"] = engagement_services.error_report_submit(
        agency=town, error_type="typo", description=f"{SECRET} 错别字", ip="10.0.0.1"
    ).report


def _matters(w: World, author: User) -> None:
    town, o = w.town, w.obj
    sectors = matter_services.sectors_ensure_defaults(town)
    o["matter"] = matter_services.matter_create(
        actor=author,
        agency=town,
        materials=[
            {"name": "申请表", "copies": 1, "form": "original", "required": True, "note": ""}
        ],
        name=f"{SECRET} 个体工商户设立登记",
        code="LH-0001",
        matter_type="licensing",
        legal_basis="《促进个体工商户发展条例》",
        conditions="申请材料齐全。",
        procedure="申请—受理—决定",
        statutory_days=15,
        promised_days=1,
        place="便民服务中心",
        hours="工作日",
        consult_phone="0580-0000111",
        complaint_phone="0580-0000112",
        star=4,
        sector=sectors[0],
        no_difference=True,
    )


def _operations(w: World) -> None:
    town, o = w.town, w.obj
    o["office"] = operations_services.office_year_create(
        actor=None, agency=town, year=2025, units=1, full_time_staff=2
    )
    o["funds"] = operations_services.fund_create(
        actor=None, agency=town, year=2025, amount_wan=1, purpose="网站维护"
    )
    o["meetings"] = operations_services.meeting_create(
        actor=None, agency=town, held_on=date(2026, 3, 1), title="工作会议", kind="work"
    )
    o["trainings"] = operations_services.training_create(
        actor=None, agency=town, held_on=date(2026, 3, 1), title="培训", attendees=10
    )
    o["complaints"] = operations_services.complaint_create(
        actor=None,
        agency=town,
        received_on=date(2026, 3, 1),
        channel="phone",
        summary=f"{SECRET} 投诉",
    )
    o["accounts"] = account = operations_services.account_create(
        actor=None, agency=town, platform="weibo", name="六横发布", opened_on=date(2020, 1, 1)
    )
    o["posts"] = operations_services.post_count_record(
        actor=None,
        account=account,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        count=10,
    )


def _reports(w: World) -> None:
    o = w.obj
    o["report"] = report_services.report_start(
        actor=w.users["officer"], agency=w.town, year=REPORT_YEAR, fmt="2021"
    )
    # a batch check of the reports under the town, finished so that its workbook exists
    o["check"] = report_batch_services.report_check_start(
        actor=w.users["officer"], agency=w.town, year=REPORT_YEAR - 1
    )
    report_batch_services.report_check_run(batch_id=o["check"].pk)
