"""Demo 回应解读 and 找错 records for 六横镇.

2018, as its annual report tells it: "及时有效处置网络舆情30起" and "今年及时解决网民政府网站找错
1起"; its 统计表 leaves every row of 二、回应解读情况 empty. So the demo has 30 网络舆情 handled
and closed in 2018 without a public response (处置 is not 回应: verified and dealt with, see
selectors), one 找错 report corrected and closed, and no press conference, interpretation or
public response in 2018 — each row of the table counts 0.

2025–2026 is lighter and ordinary: a few incidents answered on 微信, the website or in the press,
two press conferences and one attended, interpretations of the catalogue demo's 行政规范性文件
(one of them late, so the 同步 check has something to show), and a handful of 找错 reports in
every state. Records dated after today are left out.

Everything goes through the services. Loading is idempotent: an incident is identified by its
topic and first day, a conference by its topic and date, an interpretation by its title, a 找错
report by its submission token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.catalogue.models import Item
from gongkai.core.models import Agency, User

from . import services
from .models import ErrorReport, Incident, Interpretation, PressConference
from .taxonomy import (
    ConferenceRole,
    ErrorOutcome,
    ErrorType,
    IncidentKind,
    IncidentLevel,
    IncidentSource,
    InterpretationForm,
    ResponseChannel,
)

AGENCY = "liuheng"
OFFICER = "lh_officer"
EDITOR = "lh_editor"
D = date

# --- 2018: 30 网络舆情 handled (the seed's figure), none answered publicly --------------------

OPINIONS_2018: list[tuple[str, str, date, int]] = [
    # (topic, source, first seen, days to close)
    ("网传六横某村自来水浑浊无法饮用", IncidentSource.WECHAT, D(2018, 1, 9), 3),
    ("网民反映台门渔港冷库排放异味", IncidentSource.FORUM, D(2018, 1, 23), 6),
    ("春节期间客运码头滞留旅客较多", IncidentSource.WEIBO, D(2018, 2, 13), 2),
    ("网传六横大桥项目停工", IncidentSource.WECHAT, D(2018, 2, 27), 4),
    ("网民反映某小区物业收费不透明", IncidentSource.FORUM, D(2018, 3, 8), 10),
    ("短视频称某工地夜间施工扰民", IncidentSource.SHORT_VIDEO, D(2018, 3, 20), 5),
    ("网传渔船休渔期提前", IncidentSource.WECHAT, D(2018, 4, 3), 2),
    ("网民反映公交班次减少出行不便", IncidentSource.WEIBO, D(2018, 4, 17), 7),
    ("网传某学校食堂食品安全问题", IncidentSource.WECHAT, D(2018, 5, 4), 3),
    ("网民投诉海岛民宿价格虚高", IncidentSource.FORUM, D(2018, 5, 21), 8),
    ("网传六横医院停诊", IncidentSource.WECHAT, D(2018, 6, 1), 1),
    ("网民反映农贸市场缺斤短两", IncidentSource.FORUM, D(2018, 6, 12), 6),
    ("台风前夕网传全岛停电", IncidentSource.WEIBO, D(2018, 7, 9), 1),
    ("网民反映台风后道路积水未及时排除", IncidentSource.WEIBO, D(2018, 7, 12), 4),
    ("网传渔民补贴发放延迟", IncidentSource.WECHAT, D(2018, 7, 30), 9),
    ("网民反映海滩垃圾堆积", IncidentSource.SHORT_VIDEO, D(2018, 8, 7), 3),
    ("网传某企业拖欠工资", IncidentSource.FORUM, D(2018, 8, 20), 12),
    ("网民反映新建道路路灯不亮", IncidentSource.WEIBO, D(2018, 9, 3), 5),
    ("网传学校开学推迟", IncidentSource.WECHAT, D(2018, 9, 10), 1),
    ("网民反映农村污水管网未接通", IncidentSource.FORUM, D(2018, 9, 25), 14),
    ("国庆期间渡轮票务紧张引发抱怨", IncidentSource.WEIBO, D(2018, 10, 2), 3),
    ("网传某村征地补偿不公", IncidentSource.WECHAT, D(2018, 10, 16), 15),
    ("网民反映便民服务中心排队时间长", IncidentSource.FORUM, D(2018, 10, 29), 4),
    ("网传六横将撤镇设区", IncidentSource.WECHAT, D(2018, 11, 6), 2),
    ("网民反映养殖塘尾水排放", IncidentSource.SHORT_VIDEO, D(2018, 11, 14), 8),
    ("网民反映乡村公路破损", IncidentSource.WEIBO, D(2018, 11, 27), 6),
    ("网传冬季燃气涨价", IncidentSource.WECHAT, D(2018, 12, 3), 2),
    ("网民反映垃圾分类宣传不到位", IncidentSource.FORUM, D(2018, 12, 10), 5),
    ("网传某小区违建无人管", IncidentSource.WECHAT, D(2018, 12, 14), 7),
    ("网民反映年末客运航班取消", IncidentSource.WEIBO, D(2018, 12, 20), 3),
]
OPINION_2018_HANDLING = "经核实，会同相关部门及时处置，并与发帖网民沟通说明情况，相关舆情已平息。"

# --- 2025–2026 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentSpec:
    topic: str
    source: str
    first_seen_on: date
    kind: str = IncidentKind.OPINION
    level: str = IncidentLevel.ORDINARY
    description: str = ""
    responses: tuple[tuple[str, date, str], ...] = ()  # (channel, date, what was said)
    closed_on: date | None = None
    handling: str = ""


INCIDENTS = [
    IncidentSpec(
        "网传六横客运码头将停航改建",
        IncidentSource.WECHAT,
        D(2025, 3, 11),
        level=IncidentLevel.LARGER,
        description="多个微信群转发客运码头将停航改建一年的消息，引发岛内居民关注。",
        responses=(
            (
                ResponseChannel.WECHAT,
                D(2025, 3, 12),
                "“六横发布”发布说明：码头改建期间客运航线正常运行，网传停航消息不实。",
            ),
            (
                ResponseChannel.WEBSITE,
                D(2025, 3, 12),
                "镇政府网站同步发布情况说明。",
            ),
        ),
        closed_on=D(2025, 3, 14),
        handling="核实码头改建方案，发布情况说明，舆情平息。",
    ),
    IncidentSpec(
        "台风“竹节草”过境后部分村停电停水",
        IncidentSource.WEIBO,
        D(2025, 7, 31),
        kind=IncidentKind.HOT_TOPIC,
        level=IncidentLevel.LARGER,
        responses=(
            (
                ResponseChannel.WEIBO,
                D(2025, 8, 1),
                "“六横发布”微博通报抢修进度和临时供水点。",
            ),
            (
                ResponseChannel.PRESS_CONFERENCE,
                D(2025, 8, 1),
                "防台救灾新闻发布会通报灾情和恢复供电供水安排。",
            ),
        ),
        closed_on=D(2025, 8, 4),
        handling="电力、供水部门连夜抢修，8月3日全部恢复。",
    ),
    IncidentSpec(
        "网民反映垃圾分类后清运不及时",
        IncidentSource.FORUM,
        D(2025, 6, 16),
        responses=(
            (
                ResponseChannel.MEDIA,
                D(2025, 6, 20),
                "接受舟山日报采访，介绍清运班次调整。",
            ),
        ),
        closed_on=D(2025, 6, 30),
        handling="增加两个清运班次，公布清运时间表。",
    ),
    IncidentSpec(
        "短视频称某村道路施工无警示标志",
        IncidentSource.SHORT_VIDEO,
        D(2025, 10, 21),
        closed_on=D(2025, 10, 23),
        handling="督促施工单位当日补设警示标志，并回访拍摄者。",
    ),
    IncidentSpec(
        "网民关注临时救助新办法申请条件",
        IncidentSource.HOTLINE,
        D(2026, 3, 3),
        kind=IncidentKind.HOT_TOPIC,
        responses=(
            (
                ResponseChannel.WECHAT,
                D(2026, 3, 5),
                "“六横便民服务”推送临时救助申请条件问答。",
            ),
        ),
        closed_on=D(2026, 3, 10),
        handling="发布问答，并在便民服务中心设咨询窗口。",
    ),
    IncidentSpec(
        "网传海岛民宿将全面停业整顿",
        IncidentSource.WECHAT,
        D(2026, 9, 18),
        responses=(
            (
                ResponseChannel.WECHAT,
                D(2026, 9, 19),
                "“六横文旅”说明：《海岛民宿管理办法》正在征求意见，不存在全面停业整顿。",
            ),
        ),
    ),
    IncidentSpec(
        "网民反映冬季渡轮班次减少",
        IncidentSource.WEIBO,
        D(2026, 11, 17),
        description="网民在微博反映冬季渡轮班次调整后，早班船过于拥挤。",
    ),
]


@dataclass(frozen=True)
class ConferenceSpec:
    held_on: date
    topic: str
    speakers: str
    role: str = ConferenceRole.HELD
    principal_attended: bool = False
    venue: str = ""
    incident: str = ""  # topic of the incident it responded to


CONFERENCES = [
    ConferenceSpec(
        D(2025, 8, 1),
        "六横镇防御台风“竹节草”灾后恢复情况新闻发布会",
        "镇长、应急管理办公室主任",
        principal_attended=True,
        venue="六横镇人民政府三楼会议室",
        incident="台风“竹节草”过境后部分村停电停水",
    ),
    ConferenceSpec(
        D(2025, 12, 18),
        "六横镇2025年“最多跑一次”改革成效新闻发布会",
        "分管副镇长、便民服务中心主任",
        venue="六横镇便民服务中心",
    ),
    ConferenceSpec(
        D(2026, 4, 23),
        "普陀区2026年海岛旅游季新闻发布会",
        "六横镇分管副镇长",
        role=ConferenceRole.ATTENDED,
        venue="普陀区新闻发布厅",
    ),
]


@dataclass(frozen=True)
class InterpretationSpec:
    policy: str  # the catalogue demo's title
    title: str
    form: str
    published_on: date | None = None  # None: the date of `item`
    item: str = ""  # the interpretation's own catalogue item, by title


INTERPRETATIONS = [
    InterpretationSpec(
        "六横镇人民政府关于印发《六横镇农村生活垃圾分类管理办法》的通知",
        "《六横镇农村生活垃圾分类管理办法》政策解读",
        InterpretationForm.TEXT,
        item="《六横镇农村生活垃圾分类管理办法》政策解读",
    ),
    InterpretationSpec(
        "六横镇人民政府关于印发《六横镇渔业安全生产管理办法》的通知",
        "一图读懂《六横镇渔业安全生产管理办法》",
        InterpretationForm.GRAPHIC,
        published_on=D(2025, 7, 10),
    ),
    InterpretationSpec(
        "六横镇人民政府关于印发《六横镇临时救助实施办法》的通知",
        "《六横镇临时救助实施办法》问答",
        InterpretationForm.QA,
        published_on=D(2026, 2, 26),
    ),
    InterpretationSpec(
        "六横镇人民政府关于印发《六横镇临时救助实施办法》的通知",
        "视频解读：临时救助怎么申请",
        InterpretationForm.VIDEO,
        published_on=D(2026, 3, 6),
    ),
]


@dataclass(frozen=True)
class ErrorSpec:
    token: str
    submitted: datetime
    error_type: str
    description: str
    page: str = ""
    contact: str = ""
    assign: bool = True
    reply: str = ""
    replied: datetime | None = None
    outcome: str = ""
    closed_on: date | None = None


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


ERROR_REPORTS = [
    # 2018: "今年及时解决网民政府网站找错1起" (received through the State Council's 找错 platform).
    ErrorSpec(
        "demo-2018-1",
        _at(D(2018, 6, 5)),
        ErrorType.LINK,
        "“政策文件”栏目中《六横镇2018年政务公开工作要点》的附件链接打不开。",
        page="http://lhgwh.zhoushan.gov.cn/",
        reply="感谢您的指正。经核查，该附件在网站迁移中丢失，已重新上传，链接恢复正常。",
        replied=_at(D(2018, 6, 6), 15),
        outcome=ErrorOutcome.FIXED,
        closed_on=D(2018, 6, 6),
    ),
    ErrorSpec(
        "demo-2025-1",
        _at(D(2025, 4, 14), 9),
        ErrorType.TYPO,
        "工作动态《六横镇召开春季农业生产工作会议》第二段“部暑”应为“部署”。",
        contact="13800000000",
        reply="感谢您的指正，错别字已更正。",
        replied=_at(D(2025, 4, 14), 16),
        outcome=ErrorOutcome.FIXED,
        closed_on=D(2025, 4, 15),
    ),
    ErrorSpec(
        "demo-2025-2",
        _at(D(2025, 9, 2), 20),
        ErrorType.CONTENT,
        "便民服务中心的办公时间写的是下午5点下班，实际5点半才下班？",
        reply="经核实，便民服务中心夏季作息时间为下午17:30下班，网站所载时间无误。感谢关注。",
        replied=_at(D(2025, 9, 3), 11),
        outcome=ErrorOutcome.NO_ERROR,
        closed_on=D(2025, 9, 3),
    ),
    ErrorSpec(
        "demo-2026-1",
        _at(D(2026, 10, 27), 8),
        ErrorType.UNREACHABLE,
        "财政预决算栏目打开后显示空白页。",
        contact="zhang.demo@example.cn",
        reply="已转网站运维单位排查，修复后将在此答复。",
        replied=_at(D(2026, 10, 28), 10),
    ),
    ErrorSpec(
        "demo-2026-2",
        _at(D(2026, 11, 20), 21),
        ErrorType.OTHER,
        "手机上看政策文件页面，表格超出屏幕，看不全。",
        assign=False,
    ),
]


Progress = Callable[[str], None]


def demo_size() -> int:
    return (
        len(OPINIONS_2018)
        + len(INCIDENTS)
        + len(CONFERENCES)
        + len(INTERPRETATIONS)
        + len(ERROR_REPORTS)
    )


@transaction.atomic
def load_engagement_demo(*, progress: Progress | None = None) -> Counter:
    """Create the demo records; leave what exists alone. Needs the core (and, for the
    interpretations, the catalogue) demo first."""
    step = progress or (lambda label: None)
    created: Counter = Counter()
    agency = Agency.objects.filter(slug=AGENCY).first()
    if agency is None:
        raise RuntimeError("Load the core demo first (missing agency liuheng).")
    users = {u.username: u for u in User.objects.filter(username__in=[OFFICER, EDITOR])}
    officer = users.get(OFFICER)
    editor = users.get(EDITOR, officer)
    today = timezone.localdate()
    existing = set(Incident.objects.filter(agency=agency).values_list("topic", "first_seen_on"))
    for topic, source, seen, days in OPINIONS_2018:
        if (topic, seen) not in existing:
            incident = services.incident_create(
                actor=None,
                agency=agency,
                topic=topic,
                source=source,
                first_seen_on=seen,
                description=topic + "。",
            )
            services.incident_close(
                actor=None,
                incident=incident,
                closed_on=seen + timedelta(days=days),
                handling=OPINION_2018_HANDLING,
            )
            created["incidents"] += 1
        step(topic)
    incidents = {}
    for spec in INCIDENTS:
        if spec.first_seen_on > today:
            continue
        found = Incident.objects.filter(
            agency=agency, topic=spec.topic, first_seen_on=spec.first_seen_on
        ).first()
        if found is None:
            found = _load_incident(agency, spec, editor, today)
            created["incidents"] += 1
        incidents[spec.topic] = found
        step(spec.topic)
    for spec in CONFERENCES:
        if (
            spec.held_on <= today
            and not PressConference.objects.filter(
                agency=agency, topic=spec.topic, held_on=spec.held_on
            ).exists()
        ):
            services.conference_create(
                actor=None,
                agency=agency,
                held_on=spec.held_on,
                topic=spec.topic,
                speakers=spec.speakers,
                role=spec.role,
                principal_attended=spec.principal_attended,
                venue=spec.venue,
                incident=incidents.get(spec.incident),
            )
            created["conferences"] += 1
        step(spec.topic)
    for spec in INTERPRETATIONS:
        if _load_interpretation(agency, spec, today):
            created["interpretations"] += 1
        step(spec.title)
    for spec in ERROR_REPORTS:
        if spec.submitted <= timezone.now() and _load_error_report(agency, spec, officer, editor):
            created["error_reports"] += 1
        step(spec.token)
    return created


def _load_incident(agency: Agency, spec: IncidentSpec, actor: User | None, today: date):
    incident = services.incident_create(
        actor=None,
        agency=agency,
        topic=spec.topic,
        source=spec.source,
        first_seen_on=spec.first_seen_on,
        kind=spec.kind,
        level=spec.level,
        description=spec.description,
    )
    for channel, on, summary in spec.responses:
        if on <= today:
            services.incident_respond(
                actor=None, incident=incident, channel=channel, responded_on=on, summary=summary
            )
    if spec.closed_on and spec.closed_on <= today:
        services.incident_close(
            actor=None, incident=incident, closed_on=spec.closed_on, handling=spec.handling
        )
    return incident


def _load_interpretation(agency: Agency, spec: InterpretationSpec, today: date) -> bool:
    if Interpretation.objects.filter(agency=agency, title=spec.title).exists():
        return False
    policy = Item.objects.filter(agency=agency, title=spec.policy).first()
    item = Item.objects.filter(agency=agency, title=spec.item).first() if spec.item else None
    if policy is None or (spec.item and (item is None or item.published_at is None)):
        return False  # the catalogue demo is not loaded
    if spec.published_on and spec.published_on > today:
        return False
    services.interpretation_create(
        actor=None,
        agency=agency,
        policy=policy,
        form=spec.form,
        title=spec.title,
        item=item,
        published_on=spec.published_on,
    )
    return True


def _load_error_report(agency: Agency, spec: ErrorSpec, officer, editor) -> bool:
    if ErrorReport.objects.filter(agency=agency, submission_token=spec.token).exists():
        return False
    report = services.error_report_submit(
        agency=agency,
        error_type=spec.error_type,
        description=spec.description,
        page_url=spec.page,
        contact=spec.contact,
        submission_token=spec.token,
        actor=officer,
        submitted_at=spec.submitted,
    ).report
    if spec.assign and editor is not None:
        report = services.error_report_assign(actor=None, report=report, assignee=editor)
    if spec.reply and spec.replied and spec.replied <= timezone.now():
        report = services.error_report_reply(
            actor=None, report=report, reply=spec.reply, replied_at=spec.replied
        )
        if spec.outcome and spec.closed_on:
            services.error_report_close(
                actor=None, report=report, outcome=spec.outcome, closed_on=spec.closed_on
            )
    return True
