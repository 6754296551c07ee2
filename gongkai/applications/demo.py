"""Demo applications (依申请公开) of 六横镇, 2025–2026, in every status.

Everything goes through the real services with explicit dates (`submitted_at`, `received_on`,
`on=` …), so the numbers, letters, clock events and audit trail are the ones real use gives.
The steps of all applications are replayed in date order, so application and letter numbers
rise with their dates as they would have. A step dated after today is left out (the data is
fixed in 2025–2026; loaded before late November 2026, the newest cases stop earlier).

Applicants are fictional: names are made up, identity card numbers carry the region code
330903 (普陀区) and valid check characters, credit codes valid check characters, phone
numbers are in the 0580-000xxxx / 1380000xxxx placeholder ranges.

Idempotent: each application is identified by its submission token ("demo-NN"); an application
that exists is left alone with all its steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core.models import Agency, User
from gongkai.core.validators import uscc_check_character
from gongkai.privacy.checks import id_check_char

from . import services
from .models import Application, ApplicationSettings, Consultation
from .outcomes import Outcome
from .taxonomy import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    ConsultationKind,
    ConsultationReply,
    DeliveryMethod,
    FeeSchedule,
    IdType,
    InformationForm,
)

AGENCY = "liuheng"
OFFICER = "lh_officer"
HEAD = "lh_head"
ADMIN = "lh_admin"
SUBMISSION_PREFIX = "demo-"  # submission tokens: "demo-01" …

D = date.fromisoformat


def demo_id_number(birth: str, serial: str) -> str:
    """A fictional resident identity card number of 普陀区 (330903) with a valid check digit."""
    body = f"330903{birth}{serial}"
    return body + id_check_char(body)


def demo_credit_code(org_code: str) -> str:
    """A fictional unified social credit code of an enterprise (9 1) registered in 普陀区."""
    first17 = f"91330903{org_code}"
    return first17 + uscc_check_character(first17)


# --- applicants ---------------------------------------------------------------------------


def _person(name: str, birth: str, serial: str, phone: str, **extra) -> dict:
    return {
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": name,
        "id_type": IdType.RESIDENT_ID,
        "id_number": demo_id_number(birth, serial),
        "phone": phone,
        **extra,
    }


def _org(kind: str, name: str, org_code: str, contact: str, phone: str, **extra) -> dict:
    return {
        "applicant_type": kind,
        "applicant_name": name,
        "id_type": IdType.CREDIT_CODE,
        "id_number": demo_credit_code(org_code),
        "contact_person": contact,
        "phone": phone,
        **extra,
    }


BY_EMAIL = {"forms": [InformationForm.EMAIL], "delivery": DeliveryMethod.EMAIL}
BY_POST = {"forms": [InformationForm.PAPER], "delivery": DeliveryMethod.POST}

APPLICANTS = {
    "lin": _person(
        "林海涛", "19780415", "031", "13800000101", email="lin.demo@example.com", **BY_EMAIL
    ),
    "zhou": _person(
        "周晓雯",
        "19900822",
        "042",
        "13800000102",
        address="浙江省舟山市普陀区六横镇演示路1号",
        postcode="316131",
        **BY_POST,
    ),
    "he": _person(
        "何建国", "19650302", "013", "13800000103", email="he.demo@example.com", **BY_EMAIL
    ),
    "xu": _person(
        "徐丽娟",
        "19851109",
        "064",
        "0580-0000911",
        address="浙江省舟山市普陀区六横镇演示村2号",
        postcode="316131",
        **BY_POST,
    ),
    "song": _person(
        "宋志强", "19720118", "075", "13800000105", email="song.demo@example.com", **BY_EMAIL
    ),
    "haiyun": _org(
        ApplicantType.COMMERCIAL,
        "舟山演示海运有限公司",
        "MA2D0001X",
        "郑经理",
        "0580-0000921",
        email="office@haiyun-demo.example.com",
        **BY_EMAIL,
    ),
    "institute": _org(
        ApplicantType.RESEARCH,
        "演示海洋生态研究所",
        "MB1D00021",
        "钱研究员",
        "0580-0000922",
        email="lab@institute-demo.example.com",
        **BY_EMAIL,
    ),
    "lawfirm": _org(
        ApplicantType.LEGAL_SERVICE,
        "浙江演示律师事务所",
        "MD0D00033",
        "冯律师",
        "0580-0000923",
        address="浙江省舟山市普陀区演示大道3号",
        postcode="316100",
        **BY_POST,
    ),
    "charity": _org(
        ApplicantType.PUBLIC_INTEREST,
        "舟山演示环保公益协会",
        "MJ0D00044",
        "褚秘书长",
        "0580-0000924",
        email="info@green-demo.example.org",
        **BY_EMAIL,
    ),
    "coop": _org(
        ApplicantType.OTHER_ORG,
        "六横镇演示渔业专业合作社",
        "MA0D00055",
        "卫社长",
        "0580-0000925",
        email="coop@fish-demo.example.com",
        **BY_EMAIL,
    ),
}


# --- steps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One move on a demo application, dated."""

    on: date
    action: str
    params: dict = field(default_factory=dict)


def confirm(on: str) -> Step:
    return Step(D(on), "confirm")


def assign(on: str) -> Step:
    return Step(D(on), "assign")


def correction(on: str, items: str) -> Step:
    return Step(D(on), "correction", {"items": items})


def corrected(on: str, text: str) -> Step:
    return Step(D(on), "corrected", {"text": text})


def consult(on: str, kind: str, addressee: str) -> Step:
    return Step(D(on), "consult", {"kind": kind, "addressee": addressee})


def close(on: str, reply: str, note: str = "") -> Step:
    return Step(D(on), "close", {"reply": reply, "note": note})


def extend(on: str, days: int, reason: str) -> Step:
    return Step(D(on), "extend", {"days": days, "reason": reason})


def fee(on: str, pages: int) -> Step:
    return Step(D(on), "fee", {"pages": pages})


def paid(on: str, receipt: str) -> Step:
    return Step(D(on), "paid", {"receipt_number": receipt})


def reply(on: str, outcome: str, reason: str = "", **extra) -> Step:
    return Step(D(on), "reply", {"outcome": outcome, "reason": reason, **extra})


def withdraw(on: str, note: str) -> Step:
    return Step(D(on), "withdraw", {"note": note})


def lapse_correction(on: str) -> Step:
    return Step(D(on), "lapse_correction")


def lapse_fee(on: str) -> Step:
    return Step(D(on), "lapse_fee")


def archive(on: str) -> Step:
    return Step(D(on), "archive")


def appeal(on: str, kind: str, body: str, case_number: str) -> Step:
    return Step(D(on), "appeal", {"kind": kind, "body": body, "case_number": case_number})


def decide(on: str, result: str, note: str = "") -> Step:
    return Step(D(on), "decide", {"result": result, "note": note})


@dataclass(frozen=True)
class DemoApplication:
    key: str  # the submission token is "demo-" + key
    applicant: str
    channel: str
    submitted: str  # date of arrival; receipt is that day for in person, post and oral
    information: str
    steps: tuple[Step, ...] = ()
    document_number: str = ""


REVIEW_BODY = "舟山市普陀区人民政府"
COURT = "舟山市普陀区人民法院"
PERSONAL = "所申请信息含有第三方个人信息，公开会对第三方合法权益造成损害。"

# 2018, as the seed reports it: "受理依申请公开8件", all by letter (统计表 三（一）4.信函申请数
# 8件), 5 同意公开 and 3 不属于本行政机关公开. Received under the 2007 条例, so no due date is
# computed (applications.clock.IN_FORCE) and 按时/延期办结数 stay blank, as in the seed.
_SEED_2018 = [
    ("1801", "lin", "2018-03-05", "六横镇2017年度财政预算执行情况", Outcome.DISCLOSED),
    ("1802", "zhou", "2018-04-09", "六横镇2018年农村危房改造补助对象名单", Outcome.DISCLOSED),
    (
        "1803",
        "he",
        "2018-05-14",
        "舟山市普陀区某国有土地上房屋征收补偿方案",
        Outcome.NOT_RESPONSIBLE,
    ),
    ("1804", "xu", "2018-06-11", "六横镇2018年城乡居民医疗保险参保补助标准", Outcome.DISCLOSED),
    ("1805", "song", "2018-07-16", "六横大桥工程可行性研究报告的批复", Outcome.NOT_RESPONSIBLE),
    ("1806", "lin", "2018-08-20", "六横镇2018年防台风应急预案", Outcome.DISCLOSED),
    ("1807", "zhou", "2018-09-17", "舟山市港口总体规划环境影响报告书", Outcome.NOT_RESPONSIBLE),
    ("1808", "he", "2018-10-22", "六横镇2018年小城镇环境综合整治项目清单", Outcome.DISCLOSED),
]
_NOT_OURS = "该信息不属于本机关负责公开，请向制作该信息的行政机关申请（条例第三十六条第（五）项）。"


def _seed_2018_application(key, applicant, day, information, outcome) -> DemoApplication:
    replied = (date.fromisoformat(day) + timedelta(days=14)).isoformat()
    reason = _NOT_OURS if outcome == Outcome.NOT_RESPONSIBLE else ""
    return DemoApplication(
        key,
        applicant,
        Channel.POST_SIGNED,
        day,
        information,
        (reply(replied, outcome, reason), archive(replied)),
    )


APPLICATIONS: list[DemoApplication] = [
    *(_seed_2018_application(*row) for row in _SEED_2018),
    # --- received in 2025 and concluded in 2025 -------------------------------------------
    DemoApplication(
        "01",
        "lin",
        Channel.IN_PERSON,
        "2025-02-10",
        "2024年六横镇农村生活污水治理项目的资金使用情况",
        (reply("2025-02-20", Outcome.DISCLOSED), archive("2025-03-03")),
    ),
    DemoApplication(
        "02",
        "zhou",
        Channel.ONLINE,
        "2025-03-03",
        "六横镇2025年政府工作报告全文",
        (
            confirm("2025-03-04"),
            reply(
                "2025-03-06",
                Outcome.PROACTIVE,
                "该信息已在六横镇人民政府门户网站“政府信息公开—工作报告”栏目主动公开，可自行查阅。",
            ),
            archive("2025-03-10"),
        ),
    ),
    DemoApplication(
        "03",
        "haiyun",
        Channel.POST_SIGNED,
        "2025-03-17",
        "六横镇小郭巨码头改造工程的环境影响评价批复及验收材料",
        (
            consult("2025-03-24", ConsultationKind.THIRD_PARTY, "舟山演示港务工程有限公司"),
            close("2025-04-03", ConsultationReply.DISAGREE, "认为施工组织方案涉及商业秘密"),
            reply(
                "2025-04-15",
                Outcome.PARTIAL,
                "环评批复及验收意见予以公开；施工组织方案涉及第三方商业秘密，不予公开。",
            ),
        ),
    ),
    DemoApplication(
        "04",
        "he",
        Channel.IN_PERSON,
        "2025-04-07",
        "六横镇海防设施布局图",
        (
            reply("2025-04-25", Outcome.STATE_SECRET, "所申请信息经依法确定为国家秘密。"),
            appeal("2025-05-20", AppealKind.REVIEW, REVIEW_BODY, "普政复〔2025〕18号"),
            decide("2025-07-15", AppealResult.MAINTAINED, "复议机关维持原答复。"),
        ),
    ),
    DemoApplication(
        "05",
        "institute",
        Channel.ONLINE,
        "2025-05-12",
        "2010年至2012年六横岛周边海域赤潮监测原始记录",
        (
            confirm("2025-05-13"),
            reply("2025-05-30", Outcome.NOT_EXIST, "经检索，本机关未制作或获取该信息。"),
        ),
    ),
    DemoApplication(
        "06",
        "song",
        Channel.FAX,
        "2025-06-03",
        "舟山市普陀区2024年财政决算报告",
        (
            confirm("2025-06-03"),
            reply(
                "2025-06-10",
                Outcome.NOT_RESPONSIBLE,
                "该信息由舟山市普陀区财政局负责公开，请向该局申请。",
            ),
        ),
    ),
    DemoApplication(
        "07",
        "xu",
        Channel.IN_PERSON,
        "2025-06-16",
        "关于我家房屋的那个文件",
        (
            correction(
                "2025-06-18", "请写明所需文件的名称、文号或者能够据以指向该信息的其他特征描述。"
            ),
            lapse_correction("2025-07-03"),
            archive("2025-07-10"),
        ),
    ),
    DemoApplication(
        "08",
        "lin",
        Channel.ONLINE,
        "2025-07-07",
        "六横镇2025年低保对象名单及其家庭收入情况",
        (
            confirm("2025-07-08"),
            reply("2025-07-30", Outcome.PRIVACY, PERSONAL),
            appeal("2025-09-10", AppealKind.LITIGATION_DIRECT, COURT, "（2025）浙0903行初45号"),
        ),
    ),
    DemoApplication(
        "09",
        "zhou",
        Channel.POST_PLAIN,
        "2025-08-04",
        "举报邻居违章搭建，请查处并告知结果",
        (
            confirm("2025-08-05"),
            reply(
                "2025-08-15",
                Outcome.PETITION,
                "该申请属于投诉举报，已转综合行政执法队按信访程序办理。",
            ),
        ),
    ),
    DemoApplication(
        "10",
        "lawfirm",
        Channel.IN_PERSON,
        "2025-09-01",
        "2020年以来六横镇全部征地补偿款发放情况的统计汇总表",
        (
            assign("2025-09-02"),
            extend("2025-09-22", 15, "涉及多个年度的档案，需要检索整理。"),
            reply(
                "2025-10-20",
                Outcome.NEEDS_CREATION,
                "本机关未制作所申请的统计汇总表，提供该信息需要另行制作。",
            ),
        ),
    ),
    DemoApplication(
        "11",
        "institute",
        Channel.ONLINE,
        "2025-09-15",
        "2024年六横镇海岸线整治工程全部设计图纸及验收资料（纸质件）",
        (
            confirm("2025-09-16"),
            fee("2025-09-22", 120),
            paid("2025-09-26", "浙财非税〔2025〕00318"),
            reply("2025-10-14", Outcome.DISCLOSED),
        ),
    ),
    DemoApplication(
        "12",
        "song",
        Channel.IN_PERSON,
        "2025-10-09",
        "六横镇2025年道路养护经费预算",
        (withdraw("2025-10-20", "申请人书面撤回申请。"),),
    ),
    DemoApplication(
        "13",
        "zhou",
        Channel.ONLINE,
        "2025-10-20",
        "六横镇2025年政府工作报告全文",
        (
            confirm("2025-10-21"),
            reply(
                "2025-10-28",
                Outcome.REPEAT,
                "申请人已于2025年3月提出相同申请，本机关已作出答复（YSQ-2025-0002）。",
            ),
            archive("2025-11-05"),
        ),
    ),
    DemoApplication(
        "14",
        "charity",
        Channel.IN_PERSON,
        "2025-11-03",
        "六横镇关于海上风电项目选址的会议纪要和讨论记录",
        (
            reply("2025-11-25", Outcome.PROCESS, "所申请信息属于讨论记录等过程性信息。"),
            appeal("2025-12-10", AppealKind.REVIEW, REVIEW_BODY, "普政复〔2025〕61号"),
            decide("2026-02-10", AppealResult.MAINTAINED, "复议机关维持原答复。"),
            appeal(
                "2026-03-02", AppealKind.LITIGATION_AFTER_REVIEW, COURT, "（2026）浙0903行初12号"
            ),
            decide("2026-06-15", AppealResult.OTHER, "原告撤诉。"),
        ),
    ),
    DemoApplication(
        "15",
        "lin",
        Channel.IN_PERSON,
        "2025-11-17",
        "六横镇2023年至2025年全部工程项目的招投标文件（纸质件）",
        (fee("2025-11-24", 260), lapse_fee("2025-12-23")),
    ),
    # --- received in 2025, concluded in 2026 (结转) ----------------------------------------
    DemoApplication(
        "16",
        "coop",
        Channel.IN_PERSON,
        "2025-12-08",
        "六横镇2025年渔业油价补贴资金发放名单（合作社部分）",
        (
            consult("2025-12-15", ConsultationKind.AGENCY, "舟山市普陀区海洋与渔业局"),
            close("2025-12-26", ConsultationReply.AGREE),
            reply("2026-01-09", Outcome.DISCLOSED),
        ),
    ),
    DemoApplication(
        "17",
        "he",
        Channel.ONLINE,
        "2025-12-22",
        "六横镇2025年农房改造补助资金的分配方案及公示材料",
        (
            confirm("2025-12-23"),
            reply(
                "2026-01-20", Outcome.PARTIAL, "分配方案予以公开；公示材料中的身份证号码已作处理。"
            ),
        ),
    ),
    DemoApplication(
        "18",
        "haiyun",
        Channel.POST_SIGNED,
        "2025-12-29",
        "码头岸线使用的有关文件",
        (
            correction("2025-12-31", "请说明所指码头的名称及所需文件的种类。"),
            corrected("2026-01-07", "六横镇小郭巨码头岸线使用审批文件。"),
            reply("2026-01-28", Outcome.DISCLOSED),
        ),
    ),
    # --- received in 2026 -------------------------------------------------------------------
    DemoApplication(
        "19",
        "song",
        Channel.IN_PERSON,
        "2026-01-12",
        "六横镇2026年春运交通保障方案",
        (reply("2026-01-20", Outcome.DISCLOSED), archive("2026-02-02")),
    ),
    DemoApplication(
        "20",
        "charity",
        Channel.ONLINE,
        "2026-02-09",
        "六横镇2025年垃圾分类处理费收支情况",
        (
            confirm("2026-02-10"),
            reply(
                "2026-03-05", Outcome.PARTIAL, "收支总额予以公开；个别缴费单位的信息涉及商业秘密。"
            ),
        ),
    ),
    DemoApplication(
        "21",
        "lin",
        Channel.IN_PERSON,
        "2026-03-02",
        "2025年六横镇海塘加固工程的招标文件和中标公告",
        (
            correction("2026-03-04", "请说明工程名称（期次）。"),
            corrected("2026-03-06", "六横镇海塘加固工程（二期）。"),
            extend("2026-03-20", 10, "需要调取工程档案。"),
            reply("2026-04-15", Outcome.PARTIAL, "部分内容涉及商业秘密。"),
        ),
    ),
    DemoApplication(
        "22",
        "xu",
        Channel.ONLINE,
        "2026-04-13",
        "1998年六横镇土地承包合同登记簿",
        (
            confirm("2026-04-14"),
            reply("2026-04-30", Outcome.NOT_EXIST, "经检索，本机关未保存该年度的登记簿。"),
            appeal("2026-05-20", AppealKind.REVIEW, REVIEW_BODY, "普政复〔2026〕22号"),
            decide("2026-07-20", AppealResult.CORRECTED, "复议机关责令重新检索并答复。"),
        ),
    ),
    DemoApplication(
        "23",
        "institute",
        Channel.FAX,
        "2026-05-11",
        "六横镇2026年防汛防台应急预案",
        (
            confirm("2026-05-11"),
            reply(
                "2026-05-15",
                Outcome.PROACTIVE,
                "该预案已在六横镇人民政府门户网站“应急管理”栏目主动公开。",
            ),
        ),
    ),
    DemoApplication(
        "24",
        "haiyun",
        Channel.IN_PERSON,
        "2026-06-01",
        "六横镇某船舶修造企业的安全生产检查记录",
        (
            consult("2026-06-08", ConsultationKind.THIRD_PARTY, "舟山演示船舶修造有限公司"),
            close("2026-07-01", ConsultationReply.SILENT),
            reply(
                "2026-07-10",
                Outcome.TRADE_SECRET,
                "检查记录涉及企业生产工艺，属于商业秘密，公开会对第三方合法权益造成损害。",
            ),
            appeal("2026-08-20", AppealKind.REVIEW, REVIEW_BODY, "普政复〔2026〕35号"),
        ),
    ),
    DemoApplication(
        "25",
        "zhou",
        Channel.ONLINE,
        "2026-07-06",
        "《六横镇志》（2015年版）全书",
        (
            confirm("2026-07-06"),
            reply("2026-07-10", Outcome.PUBLICATION, "该书为公开出版物，可通过图书馆或书店获取。"),
        ),
    ),
    DemoApplication(
        "26",
        "coop",
        Channel.IN_PERSON,
        "2026-08-03",
        "六横镇党政综合办公室内部考勤制度",
        (reply("2026-08-20", Outcome.INTERNAL, "所申请信息属于内部事务信息。"),),
    ),
    DemoApplication(
        "27",
        "he",
        Channel.IN_PERSON,
        "2026-09-01",
        "六横镇2026年台风“演示”灾后救助资金发放情况",
        (assign("2026-09-02"),),
    ),
    DemoApplication(
        "28",
        "song",
        Channel.IN_PERSON,
        "2026-10-12",
        "六横镇便民服务中心办事指南",
        (
            reply(
                "2026-10-12",
                Outcome.PROACTIVE,
                "已当场告知：办事指南在六横镇人民政府门户网站“便民服务”栏目公开。",
                on_the_spot=True,
            ),
        ),
    ),
    DemoApplication(
        "29",
        "lawfirm",
        Channel.POST_SIGNED,
        "2026-10-29",
        "六横镇2026年行政处罚决定书目录",
        (assign("2026-10-30"),),
    ),
    DemoApplication(
        "30",
        "xu",
        Channel.IN_PERSON,
        "2026-11-02",
        "六横镇2026年老旧小区改造项目清单",
        (assign("2026-11-03"),),
    ),
    DemoApplication(
        "31",
        "charity",
        Channel.ONLINE,
        "2026-11-09",
        "六横镇海上风电项目环境影响评价公众参与说明",
        (
            confirm("2026-11-10"),
            consult("2026-11-16", ConsultationKind.AGENCY, "舟山市生态环境局普陀分局"),
        ),
    ),
    DemoApplication(
        "32",
        "lin",
        Channel.IN_PERSON,
        "2026-11-12",
        "六横镇2026年全部政府采购合同文本（纸质件）",
        (fee("2026-11-19", 150),),
    ),
    DemoApplication(
        "33",
        "coop",
        Channel.ONLINE,
        "2026-11-16",
        "渔港建设的那份材料",
        (confirm("2026-11-17"), correction("2026-11-19", "请写明所需材料的名称或文号。")),
    ),
    DemoApplication(
        "34",
        "zhou",
        Channel.IN_PERSON,
        "2026-11-20",
        "六横镇2026年冬季森林防火工作方案",
    ),
    DemoApplication(
        "35",
        "institute",
        Channel.ONLINE,
        "2026-11-24",
        "六横镇2026年海洋生态修复项目的监测报告",
    ),
    # Received in December: the reply is due in January 2027, whose holiday schedule is not out
    # until the State Council's notice; the due date stays provisional (预估) until it is entered.
    DemoApplication(
        "36",
        "he",
        Channel.IN_PERSON,
        "2026-12-14",
        "六横镇2026年渔业油价补贴发放名单",
    ),
]


# --- loading ------------------------------------------------------------------------------


@dataclass
class LoadResult:
    created: int = 0
    existing: int = 0
    skipped_steps: int = 0
    flags: dict[str, int] = field(default_factory=dict)


Progress = Callable[[str], None]


def demo_size() -> int:
    return len(APPLICATIONS)


def _submitted_at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


@transaction.atomic
def load_applications_demo(
    *, progress: Progress | None = None, today: date | None = None
) -> LoadResult:
    """Create the demo applications that do not exist yet, through the services, in date order;
    then flag what is near due or overdue (the daily tick)."""
    today = today or timezone.localdate()
    agency = Agency.objects.get(slug=AGENCY)
    officer = User.objects.get(username=OFFICER)
    head = User.objects.get(username=HEAD)
    result = LoadResult()
    if not ApplicationSettings.objects.filter(agency=agency).exists():
        # The letter numbers the town uses: 六横依申〔2026〕第N号; its letters carry a 红头 and
        # name the 党政综合办公室 as the contact (the town signs them).
        services.application_settings_update(
            actor=User.objects.get(username=ADMIN),
            agency=agency,
            data={"letter_prefix": "六横", "letterhead": True},
        )
    tokens = {SUBMISSION_PREFIX + spec.key for spec in APPLICATIONS}
    existing = set(
        Application.objects.filter(agency=agency, submission_token__in=tokens).values_list(
            "submission_token", flat=True
        )
    )
    # (date, order, spec, step): submission first on its day, then the steps in their order.
    timeline: list[tuple[date, int, DemoApplication, Step | None]] = []
    for spec in APPLICATIONS:
        if SUBMISSION_PREFIX + spec.key in existing:
            result.existing += 1
            continue
        timeline.append((D(spec.submitted), 0, spec, None))
        timeline.extend((step.on, n, spec, step) for n, step in enumerate(spec.steps, 1))
    timeline.sort(key=lambda entry: (entry[0], entry[2].submitted, entry[1]))

    made: dict[str, Application] = {}
    for on, _order, spec, step in timeline:
        if on > today:
            result.skipped_steps += 1
            continue
        if step is None:
            made[spec.key] = _submit(spec, agency, officer)
            result.created += 1
            if progress:
                progress(made[spec.key].number)
            continue
        application = made.get(spec.key)
        if application is None:  # submitted after today: nothing to do
            result.skipped_steps += 1
            continue
        _apply(step, Application.objects.get(pk=application.pk), officer=officer, head=head)
    if result.created:
        result.flags = services.applications_tick(on=today)
    return result


def _submit(spec: DemoApplication, agency: Agency, officer: User) -> Application:
    data = dict(APPLICANTS[spec.applicant])
    data.update(information=spec.information, document_number=spec.document_number)
    online = spec.channel == Channel.ONLINE
    day = D(spec.submitted)
    submitted = services.application_submit(
        agency=agency,
        data=services.ApplicationInput(**data),
        channel=spec.channel,
        actor=None if online else officer,
        received_on=None
        if spec.channel in (Channel.ONLINE, Channel.FAX, Channel.POST_PLAIN)
        else day,
        submission_token=SUBMISSION_PREFIX + spec.key,
        submitted_at=_submitted_at(day),
    )
    return submitted.application


def _apply(step: Step, application: Application, *, officer: User, head: User) -> None:
    on, params = step.on, step.params
    match step.action:
        case "confirm":
            services.application_confirm_receipt(
                actor=officer, application=application, received_on=on
            )
        case "assign":
            services.application_assign(actor=head, application=application, handler=officer, on=on)
        case "correction":
            services.application_request_correction(
                actor=officer, application=application, items=params["items"], on=on
            )
        case "corrected":
            services.application_receive_correction(
                actor=officer, application=application, text=params["text"], on=on
            )
        case "consult":
            services.consultation_start(
                actor=officer, application=application, sent_on=on, **params
            )
        case "close":
            consultation = Consultation.objects.filter(
                application=application, answered_on__isnull=True
            ).first()
            services.consultation_close(
                actor=officer, consultation=consultation, answered_on=on, **params
            )
        case "extend":
            services.application_extend(actor=head, application=application, on=on, **params)
        case "fee":
            services.fee_notify(
                actor=officer,
                application=application,
                schedule=FeeSchedule.PER_PAGE,
                pages=params["pages"],
                on=on,
            )
        case "paid":
            services.fee_record_payment(
                actor=officer, application=application, paid_on=on, **params
            )
        case "reply":
            services.application_reply(actor=officer, application=application, on=on, **params)
        case "withdraw":
            services.application_withdraw(
                actor=officer, application=application, on=on, note=params["note"]
            )
        case "lapse_correction":
            services.application_lapse_correction(actor=officer, application=application, on=on)
        case "lapse_fee":
            services.fee_lapse(actor=officer, application=application, on=on)
        case "archive":
            services.application_archive(actor=officer, application=application)
        case "appeal":
            services.appeal_record(actor=officer, application=application, filed_on=on, **params)
        case "decide":
            appeal = application.appeals.order_by("-filed_on", "-id").first()
            services.appeal_decide(actor=officer, appeal=appeal, decided_on=on, **params)
        case _:
            raise ValueError(f"unknown demo step {step.action!r}")


def run_demo(out) -> None:
    """The applications' part of `gongkai demo` (registered in apps.py; core/demos.py)."""
    applications = load_applications_demo()
    out.print(
        gettext("Applications: %(created)d created, %(existing)d already there.")
        % {"created": applications.created, "existing": applications.existing}
    )
