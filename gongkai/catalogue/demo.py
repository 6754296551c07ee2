"""Demo catalogue: 六横镇's columns, channels and items as its 2018 annual report describes them
(重点领域 and 政府信息公开 with their 二级栏目; the website, 2 政务微博 and 6 政务微信), and a few
items of 桃花镇 so that tenancy shows.

Everything goes through the real services: items are created and submitted by the editor,
approved by a reviewer (which gives the 索引号), published, withdrawn, masked. Dates are fixed
(成文日期 in 2025–2026), so the data is the same on every machine; published items carry their
historical date through the system-only `published_at` of `services.item_publish`. What the
current date decides is only which unpublished items are past the 20 working days of 第二十六条
(some drafts and pending items are, from late 2026 on).

Loading is idempotent: an item is identified by its agency and title, a column by its parent and
name, a channel by its kind and name; what exists is left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core import services as core_services
from gongkai.core.demo import DEMO_PASSWORD, DemoUser
from gongkai.core.models import Agency, Role, User
from gongkai.core.selectors import current_work_calendar
from gongkai.core.workdays import CalendarYearMissing

from . import services
from .models import Channel, Column, Item
from .taxonomy import ChannelKind, ColumnType, Genre, PrivacyOverrideReason, Validity

# Users the catalogue needs beyond core's demo users: 桃花镇 needs an author besides its officer
# for the four-eyes review.
CATALOGUE_USERS = [DemoUser("th_editor", "郑", "编辑", "taohua", Role.EDITOR)]

# Who writes and who reviews, per agency: (author, reviewer, officer who withdraws).
ACTORS = {
    "liuheng": ("lh_editor", "lh_reviewer", "lh_officer"),
    "taohua": ("th_editor", "th_officer", "th_officer"),
}

# (root, type, [(child, type), …]) per agency. 六横镇: the seed's "重点领域、政府信息公开二大一级
# 栏目和财政预决算、组织机构、政策文件、工作动态和公告公示等二级栏目", plus the columns its
# statistics name (人事信息, 应急管理, 财政预算公开, 年度报告), and four 重点领域 columns opened
# from the 基层政务公开标准目录 and never filled, as inspections often find in towns (the
# compliance monitor's 空白栏目: 4, one short of the veto).
COLUMNS = {
    "liuheng": [
        (
            "重点领域",
            ColumnType.OTHER,
            [
                ("财政预决算", ColumnType.FINANCE),
                ("应急管理", ColumnType.EMERGENCY),
                ("重大建设项目", ColumnType.PLAN),
                ("公共资源配置", ColumnType.OTHER),
                ("社会救助", ColumnType.OTHER),
                ("乡村振兴", ColumnType.OTHER),
            ],
        ),
        (
            "政府信息公开",
            ColumnType.OTHER,
            [
                ("组织机构", ColumnType.OTHER),
                ("政策文件", ColumnType.POLICY),
                ("工作动态", ColumnType.NEWS),
                ("公告公示", ColumnType.NOTICE),
                ("人事信息", ColumnType.PERSONNEL),
                ("财政预算公开", ColumnType.FINANCE),
                ("年度报告", ColumnType.ANNUAL_REPORT),
            ],
        ),
    ],
    "taohua": [
        (
            "政府信息公开",
            ColumnType.OTHER,
            [
                ("工作动态", ColumnType.NEWS),
                ("通知公告", ColumnType.NOTICE),
                ("政策文件", ColumnType.POLICY),
            ],
        )
    ],
}

# The seed: "六横共有微博2个，微信公众号6个". (kind, name, account); the website is
# services.website_channel().
WB = (ChannelKind.WEIBO, "六横发布")
WB_YJ = (ChannelKind.WEIBO, "六横应急")
WX = (ChannelKind.WECHAT, "六横发布")
WX_BM = (ChannelKind.WECHAT, "六横便民服务")
WX_DJ = (ChannelKind.WECHAT, "六横党建")
WX_YJ = (ChannelKind.WECHAT, "六横应急")
WX_WM = (ChannelKind.WECHAT, "六横新时代文明实践")
WX_WL = (ChannelKind.WECHAT, "六横文旅")
CHANNELS = {
    "liuheng": [
        (*WB, "liuhengfabu"),
        (*WB_YJ, "liuhengyingji"),
        (*WX, "lh_fabu"),
        (*WX_BM, "lh_bianmin"),
        (*WX_DJ, "lh_dangjian"),
        (*WX_YJ, "lh_yingji"),
        (*WX_WM, "lh_wenming"),
        (*WX_WL, "lh_wenlv"),
    ],
    "taohua": [],
}

# Item states the loader drives an item to.
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
SCHEDULED = "scheduled"  # approved, waiting for its scheduled time
PENDING = "pending"
RETURNED = "returned"  # submitted, then returned to the author with a comment (a draft again)
DRAFT = "draft"

ALL_CHECKS = services.ReviewChecks(secrecy=True, privacy=True, wording=True)


@dataclass(frozen=True)
class ItemSpec:
    agency: str
    column: str
    title: str
    formed_on: date
    genre: str
    body: str
    topic: str = "综合政务"
    document_number: str = ""
    publisher: str = ""
    validity: str = Validity.VALID
    valid_from: date | None = None
    invalid_on: date | None = None
    state: str = PUBLISHED
    lag: int = 2  # working days from 成文日期 to publication
    channels: tuple[tuple[str, str], ...] = ()  # other channels that carried it, same day
    mask: bool = False  # the author masks personal data before submitting
    override: str = ""  # personal data published on purpose: the reviewer's reason
    note: str = ""  # override note, return comment or withdrawal reason


def p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


D = date
LH = "liuheng"
TH = "taohua"
SAFETY = "市场监管、安全生产监管"
CIVIL = "民政、扶贫、救灾"
FINANCE = "财政、金融、审计"
FARMING = "农业、林业、水利"
BUILDING = "城乡建设、环境保护"
PERSONNEL = "劳动、人事、监察"
HEALTH = "卫生、体育"
ECONOMY = "国民经济管理、国有资产监管"
POLICE = "公安、安全、司法"
TOURISM = "商贸、海关、旅游"

# The ID and mobile numbers below are fictional (valid check digits, unassigned people).
ITEMS: list[ItemSpec] = [
    # --- 工作动态 ------------------------------------------------------------------------
    ItemSpec(
        LH,
        "工作动态",
        "六横镇召开2025年度安全生产工作部署会",
        D(2025, 2, 12),
        Genre.WORK_NEWS,
        p(
            "2月12日，六横镇召开2025年度安全生产工作部署会，总结2024年度全镇安全生产工作，部署"
            "2025年度重点任务。镇领导班子成员，各村（社区）、镇属单位和重点企业负责人参加会议。",
            "会议通报了2024年度安全生产目标责任制考核情况，对船舶修造、渔业生产、道路交通、"
            "建设施工、消防等重点领域的安全风险进行了分析研判。会议要求，各单位要压紧压实属地"
            "管理责任和企业主体责任，深入开展安全生产治本攻坚三年行动，坚决遏制较大及以上"
            "安全事故发生。",
            "会上，镇政府与各村（社区）、重点企业签订了2025年度安全生产目标责任书。",
        ),
        topic=SAFETY,
        channels=(WB, WX),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇开展春季森林防火专项检查",
        D(2025, 3, 18),
        Genre.WORK_NEWS,
        p(
            "清明祭扫临近，为切实做好春季森林防火工作，3月18日起，六横镇组织应急、林业、派出所"
            "等力量，对辖区重点林区、公墓及周边区域开展森林防火专项检查。",
            "检查组重点查看了防火宣传标识设置、扑火物资储备、护林员巡查值守等情况，对林区周边"
            "违规用火行为进行劝导，发放森林防火宣传资料2000余份。镇里要求各村在清明期间落实"
            "“路口有人守、山头有人看”，严防森林火灾发生。",
        ),
        topic=FARMING,
        channels=(WX_YJ,),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇便民服务中心开展“无差别全科受理”业务培训",
        D(2025, 4, 9),
        Genre.WORK_NEWS,
        p(
            "4月9日，六横镇便民服务中心组织开展“无差别全科受理”业务培训，税收服务、不动产登记、"
            "商事登记、公安服务、民生事务等板块窗口工作人员40余人参加。",
            "培训围绕高频事项的受理标准、申请材料和办理流程逐项讲解，并通过模拟办件开展实操"
            "演练。下一步，中心将持续推进“一窗受理、集成服务”改革，让群众和企业到任何一个窗口"
            "即可办理各类事项，进一步提升“最多跑一次”改革成效。",
        ),
        publisher="六横镇便民服务中心",
        channels=(WX_BM,),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇便民服务中心推出“周末不打烊”延时服务",
        D(2025, 5, 20),
        Genre.WORK_NEWS,
        p(
            "为方便上班族和外出务工人员办事，自5月24日起，六横镇便民服务中心推出“周末不打烊”"
            "延时服务，每周六上午安排专人在综合受理窗口值守，提供社保医保、户籍证明、不动产"
            "登记咨询等高频事项办理服务。",
            "同时，中心在大厅设置自助服务区，群众可通过“浙里办”自助办理社保查询、公积金提取、"
            "不动产权证明打印等事项。",
        ),
        publisher="六横镇便民服务中心",
        channels=(WX_BM, WX),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇组织开展2025年度防汛防台应急演练",
        D(2025, 6, 24),
        Genre.WORK_NEWS,
        p(
            "6月24日，六横镇组织开展2025年度防汛防台应急演练。演练模拟台风正面登陆、沿海低洼"
            "地带受淹的情景，设置了预警发布、人员转移、抢险救援、物资保障等科目。",
            "镇应急管理办、派出所、卫生院、供电所及各村（社区）应急队伍共120余人参加演练。"
            "通过演练，进一步检验了应急预案的可操作性，提高了各部门协同作战能力和群众自救互救"
            "能力。",
        ),
        topic=CIVIL,
        channels=(WB_YJ, WX_YJ, WX),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇召开2025年上半年经济运行分析会",
        D(2025, 7, 15),
        Genre.WORK_NEWS,
        p(
            "7月15日，六横镇召开2025年上半年经济运行分析会，通报上半年主要经济指标完成情况，"
            "分析经济运行中存在的问题，部署下半年重点工作。",
            "会议指出，上半年全镇船舶修造、临港物流等主导产业总体平稳，重点项目建设有序推进。"
            "会议要求，各部门要紧盯全年目标任务，加大项目招引和服务企业力度，全力以赴稳增长、"
            "促发展。",
        ),
        topic=ECONOMY,
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇全力做好台风防御工作",
        D(2025, 7, 30),
        Genre.WORK_NEWS,
        p(
            "7月29日，六横镇根据上级部署启动防台风应急响应，镇主要领导坐镇指挥，全镇各级防汛"
            "防台责任人全部上岗到位。",
            "截至7月30日18时，全镇共回港避风渔船386艘，转移海上养殖人员和危旧房居民1260人，"
            "暂停海上旅游项目和户外施工作业。台风过境期间，全镇未发生人员伤亡。",
        ),
        topic=CIVIL,
        lag=0,
        channels=(WB, WB_YJ, WX, WX_YJ),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇开展渔船安全生产隐患排查整治行动",
        D(2025, 9, 3),
        Genre.WORK_NEWS,
        p(
            "9月3日起，六横镇组织开展为期一个月的渔船安全生产隐患排查整治行动，重点检查渔船"
            "救生消防设备配备、船员持证上岗、北斗终端开机等情况。",
            "行动期间共检查渔船215艘次，发现并督促整改安全隐患47处，对3艘存在严重隐患的渔船"
            "责令停航整改。",
        ),
        topic=FARMING,
        channels=(WX_YJ,),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇召开2025年度政务公开工作推进会",
        D(2025, 10, 21),
        Genre.WORK_NEWS,
        p(
            "10月21日，六横镇召开2025年度政务公开工作推进会，通报前三季度政府信息主动公开"
            "情况，对政府信息公开目录维护、依申请公开办理、政务新媒体管理等工作提出要求。",
            "会议强调，要严格执行政府信息公开审查制度，做好公开内容、公开时间、公开方式的研判；"
            "对涉及个人隐私的政府信息，公开时要做好去标识化处理。",
        ),
        channels=(WX,),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇开展冬季消防安全大检查",
        D(2025, 12, 9),
        Genre.WORK_NEWS,
        p(
            "进入冬季，火灾风险上升。12月9日起，六横镇组织消防、市场监管、综合执法等部门，"
            "对辖区人员密集场所、出租房、船舶修造企业开展冬季消防安全大检查。",
            "截至目前，共检查各类场所132家，发现火灾隐患58处，已当场整改41处，其余隐患均已"
            "明确整改期限并跟踪督办。",
        ),
        topic=SAFETY,
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇召开2026年度工作务虚会",
        D(2026, 1, 13),
        Genre.WORK_NEWS,
        p(
            "1月13日，六横镇召开2026年度工作务虚会。镇领导班子成员和各办线负责人围绕临港产业"
            "发展、海岛共同富裕、基层治理等主题，交流工作思路，谋划2026年重点任务。",
        ),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇开展春节前安全生产大检查",
        D(2026, 2, 3),
        Genre.WORK_NEWS,
        p(
            "春节将至，2月3日至6日，六横镇组织开展节前安全生产大检查，由镇领导带队，分组对"
            "船舶修造企业、危险化学品经营单位、客运码头、商超等场所进行检查。",
            "检查组要求各单位落实节日期间值班值守制度，加强隐患排查，确保全镇人民群众度过一个"
            "安全祥和的春节。",
        ),
        topic=SAFETY,
        channels=(WB, WX),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇召开海岛共富乡村建设现场推进会",
        D(2026, 4, 16),
        Genre.WORK_NEWS,
        p(
            "4月16日，六横镇召开海岛共富乡村建设现场推进会，与会人员实地察看了部分村庄环境"
            "整治、农房改造和村级产业项目。",
            "会议要求，各村要结合实际，因地制宜推进村庄建设，发展壮大村级集体经济，让群众在"
            "乡村建设中有更多获得感。",
        ),
        topic=BUILDING,
        channels=(WX, WX_WM),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇开展“安全生产月”宣传咨询日活动",
        D(2026, 6, 16),
        Genre.WORK_NEWS,
        p(
            "6月16日，六横镇在镇文化广场开展“安全生产月”宣传咨询日活动。应急、消防、市场监管"
            "等部门设置咨询台，向过往群众发放宣传资料，讲解燃气使用、电动自行车充电等安全常识。",
            "活动共发放宣传资料3000余份，解答群众咨询200余人次。",
        ),
        topic=SAFETY,
        channels=(WX, WX_YJ),
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇召开三季度重点项目推进会",
        D(2026, 9, 22),
        Genre.WORK_NEWS,
        p(
            "9月22日，六横镇召开三季度重点项目推进会，逐一听取重点项目建设进展情况汇报，协调"
            "解决项目推进中的用地、用海和施工组织等问题。",
        ),
        topic=ECONOMY,
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇举办政务公开“政府开放日”活动",
        D(2026, 10, 27),
        Genre.WORK_NEWS,
        p(
            "10月27日，六横镇举办政务公开“政府开放日”活动，邀请人大代表、村民代表和企业代表"
            "走进便民服务中心，体验“无差别全科受理”和“一件事”集成办理。",
        ),
        state=PENDING,
    ),
    ItemSpec(
        LH,
        "工作动态",
        "六横镇开展冬季森林防火宣传活动",
        D(2026, 11, 18),
        Genre.WORK_NEWS,
        p(
            "11月18日，六横镇在各村（社区）同步开展冬季森林防火宣传活动，通过悬挂横幅、流动"
            "宣传车巡回广播等方式，提醒群众严禁野外用火。",
        ),
        topic=FARMING,
        state=DRAFT,
    ),
    # --- 公告公示 ------------------------------------------------------------------------
    ItemSpec(
        LH,
        "公告公示",
        "六横镇2025年第一季度城乡最低生活保障新增对象公示",
        D(2025, 4, 2),
        Genre.NOTICE,
        p(
            "根据《浙江省最低生活保障办法》有关规定，经本人申请、村（社区）入户调查、民主评议和"
            "镇人民政府审核，拟将以下家庭纳入城乡最低生活保障范围，现予以公示。"
        )
        + table(
            ["序号", "户主", "所在村（社区）", "保障人数", "身份证号码", "联系电话"],
            [
                ["1", "张建国", "峧头村", "2", "330903196503121026", "13905801234"],
                ["2", "李秀英", "苍洞村", "1", "330903195911034023", "13857201468"],
                ["3", "王海涛", "龙山村", "3", "330903197202185039", "15868023579"],
            ],
        )
        + p(
            "公示期为2025年4月3日至4月9日。对公示对象有异议的，可在公示期内向镇社会事务办公室"
            "实名反映。"
        ),
        topic=CIVIL,
        mask=True,
    ),
    ItemSpec(
        LH,
        "公告公示",
        "关于做好2026年度城乡居民基本医疗保险参保缴费工作的通知",
        D(2025, 9, 10),
        Genre.NOTICE,
        p(
            "各村（社区）、镇属各单位：",
            "2026年度城乡居民基本医疗保险集中参保缴费工作自2025年9月15日开始，至12月31日结束。"
            "参保人员可通过“浙里办”、银行网点或到镇便民服务中心医保窗口办理缴费。",
            "各村（社区）要做好政策宣传和动员工作，确保应保尽保。",
        ),
        topic=HEALTH,
        channels=(WX_BM, WX),
    ),
    ItemSpec(
        LH,
        "公告公示",
        "六横镇人民政府关于2026年春节期间禁止燃放烟花爆竹的通告",
        D(2026, 1, 20),
        Genre.NOTICE,
        p(
            "为预防火灾事故，保障公共安全和人身财产安全，根据《烟花爆竹安全管理条例》等有关"
            "规定，现就2026年春节期间禁止燃放烟花爆竹有关事项通告如下：",
            "一、2026年2月10日至3月5日，本镇集镇区域、码头、林区及周边禁止燃放烟花爆竹。",
            "二、任何单位和个人不得在禁放区域内销售、储存烟花爆竹。",
            "三、违反本通告的，由公安机关依法予以处罚。",
        ),
        topic=POLICE,
        channels=(WB, WX),
    ),
    ItemSpec(
        LH,
        "公告公示",
        "关于征求《六横镇2026年度民生实事项目（征求意见稿）》意见的公告",
        D(2026, 2, 10),
        Genre.NOTICE,
        p(
            "为广泛听取社会各界意见，现将《六横镇2026年度民生实事项目（征求意见稿）》予以公布，"
            "征求意见时间为2026年2月11日至2月25日。",
            "社会各界可通过书面信函或到镇党政综合办公室当面提出意见建议。",
        ),
        channels=(WX,),
    ),
    ItemSpec(
        LH,
        "公告公示",
        "关于开展2026年度“两癌”免费筛查工作的通知",
        D(2026, 3, 24),
        Genre.NOTICE,
        p(
            "为提高妇女健康水平，镇卫生院将于2026年4月1日至4月30日为辖区35—64周岁户籍妇女"
            "免费开展宫颈癌、乳腺癌筛查。",
        ),
        topic=HEALTH,
        state=WITHDRAWN,
        note="通知中的筛查时间有误，已另行发布更正后的通知。",
    ),
    ItemSpec(
        LH,
        "公告公示",
        "关于开展2026年度“两癌”免费筛查工作的通知（更正）",
        D(2026, 3, 26),
        Genre.NOTICE,
        p(
            "为提高妇女健康水平，镇卫生院将于2026年4月7日至5月15日为辖区35—64周岁户籍妇女"
            "免费开展宫颈癌、乳腺癌筛查。请符合条件的妇女携带身份证到镇卫生院预约登记。",
            "原通知中的筛查时间有误，以本通知为准。",
        ),
        topic=HEALTH,
        channels=(WX,),
    ),
    ItemSpec(
        LH,
        "公告公示",
        "六横镇2026年度第一批农村困难家庭危房改造对象公示",
        D(2026, 5, 12),
        Genre.NOTICE,
        p(
            "根据农村困难家庭危房改造有关政策，经农户申请、村级评议、镇级审核，拟确定以下农户为"
            "2026年度第一批农村困难家庭危房改造对象，现予以公示。"
        )
        + table(
            ["序号", "户主", "所在村", "改造方式", "身份证号码", "联系电话"],
            [
                ["1", "陈小明", "平峧村", "维修加固", "330903197809262045", "13967201357"],
                ["2", "刘桂芳", "双塘村", "翻建", "330903198304153016", "18857209246"],
            ],
        )
        + p("公示期为7天。如有异议，请在公示期内向镇农业农村办公室反映。"),
        topic=BUILDING,
        mask=True,
    ),
    ItemSpec(
        LH,
        "公告公示",
        "六横镇行政处罚决定公开（六横综执罚决字〔2026〕第15号）",
        D(2026, 6, 30),
        Genre.NOTICE,
        p(
            "当事人：黄志强，身份证号码330903199007076063，住址：六横镇峧头村。",
            "经查，当事人于2026年5月在峧头村未经批准擅自搭建建筑物，面积约45平方米。上述行为"
            "违反了《浙江省违法建筑处置规定》的规定。依据该规定，本机关决定责令当事人限期"
            "拆除违法建筑，并处罚款人民币二千元。",
        ),
        topic=BUILDING,
        publisher="六横镇综合行政执法队",
        mask=True,
    ),
    ItemSpec(
        LH,
        "公告公示",
        "关于对违规占用耕地建房行为的处理通报",
        D(2026, 7, 14),
        Genre.NOTICE,
        p(
            "为严肃耕地保护纪律，现将近期查处的违规占用耕地建房行为通报如下：",
            "当事人：王海涛，未经批准占用龙山村耕地建房，面积约120平方米。镇人民政府已依法"
            "责令其退还非法占用的土地，限期拆除新建建筑物，恢复土地原状。",
            "各村要引以为戒，切实加强耕地保护日常巡查，对违法占用耕地行为早发现、早制止。",
        ),
        topic=BUILDING,
        override=PrivacyOverrideReason.DISCIPLINARY,
        note="惩戒公示：依法通报违法行为人姓名，不公开其身份证号码和联系方式。",
        channels=(WX,),
    ),
    ItemSpec(
        LH,
        "公告公示",
        "关于六横镇2026年度第二批村级公益事业一事一议财政奖补项目的公示",
        D(2026, 11, 4),
        Genre.NOTICE,
        p(
            "根据村级公益事业建设一事一议财政奖补有关规定，经村民议事、镇级审核，拟将以下项目"
            "列入2026年度第二批一事一议财政奖补项目：峧头村村道硬化工程、苍洞村河道清淤工程、"
            "龙山村路灯安装工程。",
        ),
        topic=FINANCE,
        state=RETURNED,
        note="请补充各项目的总投资和财政奖补金额，并注明公示期限和意见反馈方式。",
    ),
    ItemSpec(
        LH,
        "公告公示",
        "六横镇2026年第三季度城乡最低生活保障新增对象公示",
        D(2026, 11, 10),
        Genre.NOTICE,
        p(
            "经本人申请、村（社区）入户调查、民主评议和镇人民政府审核，拟将以下家庭纳入城乡最低"
            "生活保障范围，现予以公示。"
        )
        + table(
            ["序号", "户主", "所在村（社区）", "保障人数", "身份证号码"],
            [["1", "周美玲", "台门社区", "2", "330903197809262045"]],
        )
        + p("公示期为7天。"),
        topic=CIVIL,
        state=PENDING,
        mask=True,
    ),
    ItemSpec(
        LH,
        "公告公示",
        "关于开展2026年度“冬季送温暖”活动的通知",
        D(2026, 11, 12),
        Genre.NOTICE,
        p(
            "各村（社区）、镇属各单位：",
            "为切实保障困难群众温暖过冬，经研究，决定在全镇开展2026年度“冬季送温暖”活动，"
            "走访慰问低保、低边、特困供养人员和困难退役军人等群体。请各村（社区）于12月10日"
            "前报送走访慰问对象名单。",
        ),
        topic=CIVIL,
        state=PENDING,
    ),
    ItemSpec(
        LH,
        "公告公示",
        "六横镇2026年度临时救助对象公示（第三批）",
        D(2026, 11, 16),
        Genre.NOTICE,
        p(
            "经本人申请、镇人民政府审核，拟对以下人员给予临时救助，现予以公示。",
            "申请人：林国庆，身份证号码330903196503121026，联系电话13905801234，因病致困，"
            "拟救助金额3000元。",
            "公示期为7天。",
        ),
        topic=CIVIL,
        state=DRAFT,  # still carries an ID and a mobile number: the shield blocks submission
    ),
    ItemSpec(
        LH,
        "公告公示",
        "关于做好2027年元旦春节期间安全生产工作的通知",
        D(2026, 11, 20),
        Genre.NOTICE,
        p(
            "各村（社区）、镇属各单位、各企业：",
            "2027年元旦、春节将至，为切实做好节日期间安全生产工作，现就有关事项通知如下：一、"
            "严格落实安全生产责任；二、深入开展隐患排查整治；三、加强值班值守和信息报送。",
        ),
        topic=SAFETY,
        state=SCHEDULED,
    ),
    # --- 政策文件 ------------------------------------------------------------------------
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇2025年度惠企政策兑现实施细则》的通知",
        D(2025, 1, 20),
        Genre.NORMATIVE,
        p(
            "各村（社区）、镇属各单位，各有关企业：",
            "《六横镇2025年度惠企政策兑现实施细则》已经镇政府研究同意，现印发给你们，请认真"
            "贯彻执行。",
            "本细则自印发之日起施行，有效期至2025年12月31日。",
        ),
        topic=ECONOMY,
        document_number="六政发〔2025〕3号",
        validity=Validity.EXPIRED,
        valid_from=D(2025, 1, 20),
        invalid_on=D(2025, 12, 31),
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇临时救助实施细则》的通知",
        D(2025, 2, 20),
        Genre.NORMATIVE,
        p(
            "各村（社区）、镇属各单位：",
            "现将《六横镇临时救助实施细则》印发给你们，请认真贯彻执行。本细则自2025年3月1日起"
            "施行。",
        ),
        topic=CIVIL,
        document_number="六政发〔2025〕5号",
        validity=Validity.REPEALED,
        valid_from=D(2025, 3, 1),
        invalid_on=D(2026, 3, 1),
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇2025年政务公开工作要点》的通知",
        D(2025, 3, 28),
        Genre.OTHER_DOCUMENT,
        p(
            "各村（社区）、镇属各单位：",
            "现将《六横镇2025年政务公开工作要点》印发给你们，请结合实际认真抓好落实。",
            "2025年全镇政务公开工作要以“最多跑一次”改革为主线，深入推进决策、执行、管理、服务、"
            "结果公开，加强政策解读和回应关切，提升政务公开的质量和实效。",
        ),
        document_number="六政发〔2025〕8号",
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇农村生活垃圾分类管理办法》的通知",
        D(2025, 5, 16),
        Genre.NORMATIVE,
        p(
            "各村（社区）、镇属各单位：",
            "《六横镇农村生活垃圾分类管理办法》已经镇政府常务会议审议通过，现印发给你们，请认真"
            "贯彻执行。本办法自2025年6月1日起施行。",
        ),
        topic=BUILDING,
        document_number="六政发〔2025〕15号",
        valid_from=D(2025, 6, 1),
        channels=(WX,),
    ),
    ItemSpec(
        LH,
        "政策文件",
        "《六横镇农村生活垃圾分类管理办法》政策解读",
        D(2025, 5, 22),
        Genre.INTERPRETATION,
        p(
            "一、制定背景：为规范农村生活垃圾分类投放、收集、运输和处置，改善农村人居环境，制定"
            "本办法。",
            "二、主要内容：明确了垃圾分类的四个类别、各村（社区）和保洁人员的职责、分类投放的"
            "要求以及监督考核办法。",
            "三、施行时间：本办法自2025年6月1日起施行。",
        ),
        topic=BUILDING,
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇渔业安全生产管理办法》的通知",
        D(2025, 7, 8),
        Genre.NORMATIVE,
        p(
            "各村（社区）、镇属各单位：",
            "现将《六横镇渔业安全生产管理办法》印发给你们，请认真贯彻执行。本办法自2025年8月1日"
            "起施行。",
        ),
        topic=FARMING,
        document_number="六政发〔2025〕22号",
        valid_from=D(2025, 8, 1),
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇村级集体“三资”管理办法》的通知",
        D(2025, 9, 16),
        Genre.NORMATIVE,
        p(
            "各村（社区）：",
            "为进一步规范村级集体资金、资产、资源管理，现将《六横镇村级集体“三资”管理办法》"
            "印发给你们，请认真贯彻执行。本办法自2025年10月1日起施行。",
        ),
        topic=FINANCE,
        document_number="六政发〔2025〕30号",
        valid_from=D(2025, 10, 1),
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇临时救助实施办法》的通知",
        D(2026, 2, 24),
        Genre.NORMATIVE,
        p(
            "各村（社区）、镇属各单位：",
            "现将《六横镇临时救助实施办法》印发给你们，请认真贯彻执行。本办法自2026年3月1日起"
            "施行，《六横镇临时救助实施细则》（六政发〔2025〕5号）同时废止。",
        ),
        topic=CIVIL,
        document_number="六政发〔2026〕6号",
        valid_from=D(2026, 3, 1),
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府办公室关于印发《六横镇2026年政务公开工作要点》的通知",
        D(2026, 3, 17),
        Genre.OTHER_DOCUMENT,
        p(
            "各村（社区）、镇属各单位：",
            "经镇政府同意，现将《六横镇2026年政务公开工作要点》印发给你们，请结合实际认真抓好"
            "落实。",
        ),
        document_number="六政办发〔2026〕4号",
        publisher="六横镇人民政府办公室",
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇2026年安全生产工作要点》的通知",
        D(2026, 4, 7),
        Genre.OTHER_DOCUMENT,
        p(
            "各村（社区）、镇属各单位，各企业：",
            "现将《六横镇2026年安全生产工作要点》印发给你们，请认真抓好落实。",
        ),
        topic=SAFETY,
        document_number="六政发〔2026〕12号",
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于调整六横镇防汛防台指挥部组成人员的通知",
        D(2026, 5, 19),
        Genre.OTHER_DOCUMENT,
        p(
            "各村（社区）、镇属各单位：",
            "因人事变动，经研究，决定对六横镇防汛防台指挥部组成人员进行调整。指挥部总指挥由镇长"
            "担任，副总指挥由分管应急管理工作的副镇长担任，成员由镇属有关单位主要负责人组成。"
            "指挥部办公室设在镇应急管理办公室。",
        ),
        topic=CIVIL,
        document_number="六政发〔2026〕18号",
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇农村宅基地管理实施细则》的通知",
        D(2026, 8, 11),
        Genre.NORMATIVE,
        p(
            "各村（社区）、镇属各单位：",
            "现将《六横镇农村宅基地管理实施细则》印发给你们，请认真贯彻执行。本细则自2026年"
            "9月1日起施行。",
        ),
        topic=BUILDING,
        document_number="六政发〔2026〕27号",
        valid_from=D(2026, 9, 1),
        state=PENDING,
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇海岛民宿管理办法》的通知",
        D(2026, 9, 15),
        Genre.NORMATIVE,
        p(
            "各村（社区）、镇属各单位：",
            "为规范海岛民宿经营，促进乡村旅游健康发展，现将《六横镇海岛民宿管理办法》印发给"
            "你们，请认真贯彻执行。本办法自2026年10月1日起施行。",
        ),
        topic=TOURISM,
        document_number="六政发〔2026〕31号",
        valid_from=D(2026, 10, 1),
        state=DRAFT,
    ),
    ItemSpec(
        LH,
        "政策文件",
        "六横镇人民政府关于印发《六横镇2026—2027年冬春季森林防灭火工作方案》的通知",
        D(2026, 10, 9),
        Genre.OTHER_DOCUMENT,
        p(
            "各村（社区）、镇属各单位：",
            "现将《六横镇2026—2027年冬春季森林防灭火工作方案》印发给你们，请认真组织实施。",
        ),
        topic=FARMING,
        document_number="六政发〔2026〕33号",
        state=DRAFT,
    ),
    # --- 组织机构 ------------------------------------------------------------------------
    ItemSpec(
        LH,
        "组织机构",
        "六横镇人民政府机构职能",
        D(2025, 1, 15),
        Genre.OTHER,
        p(
            "六横镇人民政府是六横镇的行政机关，主要职责是：执行本级人民代表大会的决议和上级国家"
            "行政机关的决定和命令，发布决定和命令；执行本行政区域内的经济和社会发展计划、预算，"
            "管理本行政区域内的经济、教育、科学、文化、卫生、体育事业和财政、民政、公安、司法"
            "行政等行政工作；保护公民的人身权利、民主权利和其他权利；办理上级人民政府交办的"
            "其他事项。",
        ),
    ),
    ItemSpec(
        LH,
        "组织机构",
        "六横镇人民政府内设机构设置",
        D(2026, 1, 20),
        Genre.OTHER,
        p(
            "六横镇人民政府设党政综合办公室、经济发展办公室、社会事务办公室、农业农村办公室、"
            "应急管理办公室（综合行政执法队）、财政所、便民服务中心等机构。",
        ),
    ),
    ItemSpec(
        LH,
        "组织机构",
        "六横镇人民政府领导班子成员工作分工",
        D(2026, 2, 6),
        Genre.OTHER,
        p(
            "镇长：主持镇政府全面工作，负责财政、审计工作。",
            "常务副镇长：协助镇长处理镇政府日常工作，负责党政综合办公室、便民服务中心工作。",
            "副镇长（分管应急管理）：负责安全生产、防汛防台、森林防火和应急管理工作。",
            "副镇长（分管农业农村）：负责农业农村、渔业、乡村建设和耕地保护工作。",
        ),
    ),
    # --- 人事信息 ------------------------------------------------------------------------
    ItemSpec(
        LH,
        "人事信息",
        "六横镇2025年公开招聘社区专职工作者公告",
        D(2025, 6, 10),
        Genre.PERSONNEL,
        p(
            "根据工作需要，六横镇2025年面向社会公开招聘社区专职工作者8名。报名时间为2025年6月"
            "16日至6月20日，报名地点为六横镇党政综合办公室。",
            "招聘对象为具有本镇户籍或在本镇居住满一年、年龄在35周岁以下、具有大专及以上学历的"
            "人员。",
        ),
        topic=PERSONNEL,
        channels=(WX, WX_DJ),
    ),
    ItemSpec(
        LH,
        "人事信息",
        "六横镇2025年公开招聘社区专职工作者拟聘用人员公示",
        D(2025, 8, 5),
        Genre.PERSONNEL,
        p(
            "根据六横镇2025年公开招聘社区专职工作者公告，经笔试、面试、体检和考察，拟聘用以下"
            "人员，现予以公示。",
            "拟聘用人员名单：徐静怡、孙浩然、朱晓燕",
            "公示期为2025年8月6日至8月12日。",
        ),
        topic=PERSONNEL,
        override=PrivacyOverrideReason.MANDATORY,
        note="拟聘用人员名单依招聘公告须经公示，仅公开姓名。",
    ),
    ItemSpec(
        LH,
        "人事信息",
        "六横镇2026年度公益性岗位招聘公告",
        D(2026, 3, 5),
        Genre.PERSONNEL,
        p(
            "为做好就业困难人员就业援助工作，六横镇2026年度开发公益性岗位12个，主要从事保洁、"
            "绿化养护、治安巡防等工作，面向本镇登记失业的就业困难人员招聘。",
        ),
        topic=PERSONNEL,
        channels=(WX_BM,),
    ),
    # --- 应急管理 ------------------------------------------------------------------------
    ItemSpec(
        LH,
        "应急管理",
        "六横镇突发事件总体应急预案（2025年修订）",
        D(2025, 5, 8),
        Genre.EMERGENCY,
        p(
            "为提高应对突发事件的能力，最大程度预防和减少突发事件及其造成的损害，根据《中华人民"
            "共和国突发事件应对法》等法律法规，结合本镇实际，修订本预案。",
            "本预案适用于本镇行政区域内自然灾害、事故灾难、公共卫生事件和社会安全事件的应对工作。",
        ),
        topic=CIVIL,
    ),
    ItemSpec(
        LH,
        "应急管理",
        "关于切实做好2026年防汛防台工作的通知",
        D(2026, 5, 26),
        Genre.EMERGENCY,
        p(
            "各村（社区）、镇属各单位：",
            "我镇即将进入主汛期。为切实做好2026年防汛防台工作，确保人民群众生命财产安全，请各"
            "单位落实防汛防台责任，做好隐患排查、物资储备和避灾场所准备工作。",
        ),
        topic=CIVIL,
        channels=(WB_YJ, WX_YJ),
    ),
    ItemSpec(
        LH,
        "应急管理",
        "六横镇关于启动防台风Ⅳ级应急响应的通知",
        D(2026, 8, 12),
        Genre.EMERGENCY,
        p(
            "根据区防汛防台指挥部部署，结合本镇实际，镇防汛防台指挥部决定于8月12日12时启动"
            "防台风Ⅳ级应急响应。请各村（社区）、各单位立即进入防台状态，做好渔船回港、人员"
            "转移等工作。",
        ),
        topic=CIVIL,
        lag=0,
        channels=(WB, WB_YJ, WX_YJ),
    ),
    # --- 财政预决算 / 财政预算公开 -----------------------------------------------------------
    ItemSpec(
        LH,
        "财政预决算",
        "六横镇人民政府2025年部门预算",
        D(2025, 2, 26),
        Genre.FINANCE,
        p(
            "一、部门基本情况；二、部门预算安排的总体情况；三、一般公共预算支出情况；四、“三公”"
            "经费预算情况；五、政府采购预算情况；六、名词解释。"
        ),
        topic=FINANCE,
        publisher="六横镇财政所",
    ),
    ItemSpec(
        LH,
        "财政预决算",
        "六横镇人民政府2024年度部门决算",
        D(2025, 8, 20),
        Genre.FINANCE,
        p(
            "一、部门基本情况；二、收入支出决算总体情况；三、一般公共预算财政拨款支出决算情况；"
            "四、“三公”经费支出决算情况；五、其他重要事项的情况说明。"
        ),
        topic=FINANCE,
        publisher="六横镇财政所",
    ),
    ItemSpec(
        LH,
        "财政预决算",
        "六横镇人民政府2026年部门预算",
        D(2026, 2, 25),
        Genre.FINANCE,
        p(
            "一、部门基本情况；二、部门预算安排的总体情况；三、一般公共预算支出情况；四、“三公”"
            "经费预算情况；五、政府采购预算情况；六、名词解释。"
        ),
        topic=FINANCE,
        publisher="六横镇财政所",
    ),
    ItemSpec(
        LH,
        "财政预决算",
        "六横镇人民政府2025年度部门决算",
        D(2026, 8, 18),
        Genre.FINANCE,
        p(
            "一、部门基本情况；二、收入支出决算总体情况；三、一般公共预算财政拨款支出决算情况；"
            "四、“三公”经费支出决算情况；五、其他重要事项的情况说明。"
        ),
        topic=FINANCE,
        publisher="六横镇财政所",
    ),
    ItemSpec(
        LH,
        "财政预算公开",
        "关于六横镇2024年财政预算执行情况和2025年财政预算草案的报告",
        D(2025, 1, 24),
        Genre.FINANCE,
        p(
            "受镇人民政府委托，现将六横镇2024年财政预算执行情况和2025年财政预算草案提请大会审议。",
        ),
        topic=FINANCE,
        publisher="六横镇财政所",
    ),
    ItemSpec(
        LH,
        "财政预算公开",
        "关于六横镇2025年财政预算执行情况和2026年财政预算草案的报告",
        D(2026, 1, 29),
        Genre.FINANCE,
        p(
            "受镇人民政府委托，现将六横镇2025年财政预算执行情况和2026年财政预算草案提请大会审议。",
        ),
        topic=FINANCE,
        publisher="六横镇财政所",
    ),
    # --- 桃花镇 --------------------------------------------------------------------------
    ItemSpec(
        TH,
        "工作动态",
        "桃花镇召开2025年旅游旺季安全工作部署会",
        D(2025, 6, 18),
        Genre.WORK_NEWS,
        p(
            "6月18日，桃花镇召开2025年旅游旺季安全工作部署会，对景区、客运码头、民宿和海上"
            "旅游项目的安全工作作出部署。",
        ),
        topic=TOURISM,
    ),
    ItemSpec(
        TH,
        "工作动态",
        "桃花镇开展景区周边环境综合整治行动",
        D(2025, 11, 11),
        Genre.WORK_NEWS,
        p("11月11日起，桃花镇开展景区周边环境综合整治行动，清理乱堆乱放、规范经营秩序。"),
        topic=BUILDING,
    ),
    ItemSpec(
        TH,
        "政策文件",
        "桃花镇人民政府关于印发《桃花镇2026年政务公开工作要点》的通知",
        D(2026, 3, 10),
        Genre.OTHER_DOCUMENT,
        p(
            "各村（社区）、镇属各单位：",
            "现将《桃花镇2026年政务公开工作要点》印发给你们，请结合实际认真抓好落实。",
        ),
        document_number="桃政发〔2026〕5号",
    ),
    ItemSpec(
        TH,
        "通知公告",
        "关于做好2026年度被征地农民养老保障参保登记工作的通知",
        D(2026, 6, 2),
        Genre.NOTICE,
        p(
            "各村（社区）：",
            "请各村（社区）于2026年6月30日前完成本年度被征地农民养老保障参保对象的摸底登记，"
            "并将登记表报镇社会事务办公室。",
        ),
        topic=PERSONNEL,
    ),
    ItemSpec(
        TH,
        "通知公告",
        "桃花镇2026年度第二批农村生活污水治理项目公示",
        D(2026, 11, 13),
        Genre.NOTICE,
        p("经村级申报、镇级审核，拟将以下村列入2026年度第二批农村生活污水治理项目：……"),
        topic=BUILDING,
        state=PENDING,
    ),
]


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    users: list[DemoUser] = field(default_factory=lambda: list(CATALOGUE_USERS))


Progress = Callable[[str], None]


def demo_size() -> int:
    """The number of steps `load_catalogue_demo` reports (for a progress bar)."""
    columns = sum(1 + len(children) for roots in COLUMNS.values() for _, _, children in roots)
    channels = sum(1 + len(specs) for specs in CHANNELS.values())
    return len(CATALOGUE_USERS) + columns + channels + len(ITEMS)


@transaction.atomic
def load_catalogue_demo(*, progress: Progress | None = None) -> LoadResult:
    """Create the demo catalogue; leave what exists alone. Needs core's `load_demo` first."""
    step = progress or (lambda label: None)
    result = LoadResult()
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=COLUMNS)}
    missing = set(COLUMNS) - set(agencies)
    if missing:
        raise RuntimeError(f"Load the core demo first (missing agencies: {sorted(missing)}).")
    _load_users(agencies, result, step)
    users = {u.username: u for u in User.objects.filter(username__in=_actor_names())}
    columns = {slug: _load_columns(agencies[slug], result, step) for slug in COLUMNS}
    channels = {slug: _load_channels(agencies[slug], result, step) for slug in CHANNELS}
    existing = set(
        Item.objects.filter(agency__in=agencies.values()).values_list("agency__slug", "title")
    )
    calendar = current_work_calendar()
    # Oldest first, so that the 索引号 serials follow the dates.
    for spec in sorted(ITEMS, key=lambda s: (s.formed_on, s.title)):
        if (spec.agency, spec.title) not in existing:
            author, reviewer, officer = (users[name] for name in ACTORS[spec.agency])
            _load_item(
                spec,
                agency=agencies[spec.agency],
                column=columns[spec.agency][spec.column],
                channels=channels[spec.agency],
                author=author,
                reviewer=reviewer,
                officer=officer,
                published_at=_publication_time(spec, calendar),
                result=result,
            )
        step(spec.title)
    return result


def _actor_names() -> set[str]:
    return {name for names in ACTORS.values() for name in names}


def _load_users(agencies: dict[str, Agency], result: LoadResult, step: Progress) -> None:
    for spec in CATALOGUE_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = core_services.user_create(
                actor=None,
                username=spec.username,
                password=DEMO_PASSWORD,
                last_name=spec.last_name,
                first_name=spec.first_name,
            )
            result.created["users"] += 1
        core_services.membership_grant(
            actor=None, user=user, agency=agencies[spec.agency], role=spec.role
        )
        step(spec.username)


def _load_columns(agency: Agency, result: LoadResult, step: Progress) -> dict[str, Column]:
    """The agency's demo columns by name (names are unique within one agency's demo tree)."""
    existing = {(c.parent_id, c.name): c for c in Column.objects.filter(agency=agency)}
    by_name: dict[str, Column] = {}

    def ensure(name: str, column_type: str, parent: Column | None, position: int) -> Column:
        column = existing.get((parent.pk if parent else None, name))
        if column is None:
            column = services.column_create(
                actor=None,
                agency=agency,
                name=name,
                column_type=column_type,
                parent=parent,
                position=position,
            )
            result.created["columns"] += 1
        by_name[name] = column
        step(name)
        return column

    for root_position, (root_name, root_type, children) in enumerate(COLUMNS[agency.slug], 1):
        root = ensure(root_name, root_type, None, root_position)
        for position, (name, column_type) in enumerate(children, 1):
            ensure(name, column_type, root, position)
    return by_name


def _load_channels(agency: Agency, result: LoadResult, step: Progress) -> dict[tuple, Channel]:
    if not Channel.objects.filter(agency=agency, kind=ChannelKind.WEBSITE).exists():
        result.created["channels"] += 1
    services.website_channel(agency)
    step(agency.short_name)
    existing = {(c.kind, c.name): c for c in Channel.objects.filter(agency=agency)}
    for kind, name, account in CHANNELS[agency.slug]:
        if (kind, name) not in existing:
            existing[(kind, name)] = services.channel_create(
                actor=None, agency=agency, kind=kind, name=name, account=account
            )
            result.created["channels"] += 1
        step(name)
    return existing


def _publication_time(spec: ItemSpec, calendar) -> datetime:
    """`lag` working days after 成文日期, in office hours; never in the future."""
    try:
        day = calendar.add_workdays(spec.formed_on, spec.lag)
    except CalendarYearMissing:
        day = spec.formed_on + timedelta(days=spec.lag)
    minutes = sum(map(ord, spec.title)) % 420  # 9:00–16:00, stable per item
    moment = timezone.make_aware(datetime.combine(day, time(9)) + timedelta(minutes=minutes))
    return min(moment, timezone.now())


def _load_item(
    spec: ItemSpec,
    *,
    agency: Agency,
    column: Column,
    channels: dict[tuple, Channel],
    author: User,
    reviewer: User,
    officer: User,
    published_at: datetime,
    result: LoadResult,
) -> None:
    fields = {
        "body": spec.body,
        "topic": spec.topic,
        "document_number": spec.document_number,
        "publisher": spec.publisher,
        "validity": spec.validity,
        "valid_from": spec.valid_from,
        "invalid_on": spec.invalid_on,
    }
    item = services.item_create(
        actor=author,
        agency=agency,
        column=column,
        title=spec.title,
        formed_on=spec.formed_on,
        genre=spec.genre,
        **fields,
    )
    result.created["items"] += 1
    if spec.state == DRAFT:
        return
    if spec.mask:
        item = services.item_mask_findings(actor=author, item=item)
    item = services.item_submit(actor=author, item=item, request_override=bool(spec.override))
    if spec.state == PENDING:
        return
    if spec.state == RETURNED:
        services.item_reject(actor=reviewer, item=item, comment=spec.note, checks=ALL_CHECKS)
        return
    scheduled_at = None
    if spec.state == SCHEDULED:
        start = timezone.localdate() + timedelta(days=3)
        scheduled_at = timezone.make_aware(datetime.combine(start, time(9)))
    item = services.item_approve(
        actor=reviewer,
        item=item,
        checks=ALL_CHECKS,
        privacy_override=spec.override,
        privacy_override_note=spec.note if spec.override else "",
        scheduled_at=scheduled_at,
    )
    if spec.state == SCHEDULED:
        return
    item = services.item_publish(actor=None, item=item, published_at=published_at)
    for key in spec.channels:
        services.publication_record(
            actor=author,
            item=item,
            channel=channels[key],
            published_on=timezone.localdate(published_at),
        )
        result.created["publications"] += 1
    if spec.state == WITHDRAWN:
        services.item_withdraw(actor=officer, item=item, reason=spec.note)


def run_demo(out) -> list[DemoUser]:
    """The catalogue's part of `gongkai demo` (registered in apps.py; core/demos.py)."""
    with out.progress(gettext("Catalogue"), demo_size()) as advance:
        catalogue = load_catalogue_demo(progress=advance)
    created = catalogue.created
    out.print(
        gettext(
            "Catalogue: %(columns)d columns, %(channels)d channels, %(items)d items and "
            "%(publications)d publications on other channels created."
        )
        % {
            "columns": created["columns"],
            "channels": created["channels"],
            "items": created["items"],
            "publications": created["publications"],
        }
    )
    return catalogue.users
