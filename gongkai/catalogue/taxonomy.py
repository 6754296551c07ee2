"""Official vocabularies of the disclosure catalogue, as data (labels verbatim).

These are legal and administrative categories, not UI wording: they stay in Chinese in every
language, as the report formats and the State Council's catalogue use them.
"""

from django.db import models


class ColumnType(models.TextChoices):
    """What a column holds; later issues use it for staleness rules and report figures."""

    NEWS = "news", "动态要闻"
    NOTICE = "notice", "通知公告"
    POLICY = "policy", "政策文件"
    PERSONNEL = "personnel", "人事信息"
    PLAN = "plan", "规划计划"
    FINANCE = "finance", "财政信息"
    EMERGENCY = "emergency", "应急管理"
    ANNUAL_REPORT = "annual_report", "年度报告"
    OTHER = "other", "其他"


class Genre(models.TextChoices):
    """体裁. 规章 and 行政规范性文件 feed table 二 of the annual report."""

    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER_DOCUMENT = "other_document", "其他文件"
    WORK_NEWS = "work_news", "工作动态"
    NOTICE = "notice", "公告公示"
    PLAN = "plan", "规划计划"
    PERSONNEL = "personnel", "人事信息"
    FINANCE = "finance", "财政预决算"
    EMERGENCY = "emergency", "应急管理"
    ANNUAL_REPORT = "annual_report", "年度报告"
    INTERPRETATION = "interpretation", "政策解读"
    OTHER = "other", "其他"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_PUBLIC = "not_public", "不予公开"


class NonDisclosureGround(models.TextChoices):
    """Legal grounds for 不予公开 (条例 第十四条—第十六条)."""

    STATE_SECRET = "state_secret", "属于国家秘密（第十四条）"
    PROHIBITED = "prohibited", "法律行政法规禁止公开（第十四条）"
    SAFETY = "safety", "危及“三安全一稳定”（第十四条）"
    THIRD_PARTY = "third_party", "涉及商业秘密、个人隐私等第三方合法权益（第十五条）"
    INTERNAL = "internal", "内部事务信息（第十六条第一款）"
    PROCESS = "process", "过程性信息（第十六条第二款）"
    ENFORCEMENT = "enforcement", "行政执法案卷信息（第十六条第二款）"


class Scope(models.TextChoices):
    PUBLIC = "public", "面向社会"
    SPECIFIC = "specific", "特定对象"


# 国务院公文主题分类 as used by the 政府信息公开目录 of gov.cn and provincial platforms.
TOPICS = [
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
]
TOPIC_CHOICES = [(t, t) for t in TOPICS]


class ChannelKind(models.TextChoices):
    WEBSITE = "website", "政府网站"
    WEIBO = "weibo", "政务微博"
    WECHAT = "wechat", "政务微信"
    APP = "app", "移动客户端"
    OTHER = "other", "其他方式"


class PrivacyOverrideReason(models.TextChoices):
    """The two exceptions the seed names for publishing personal data, and a recorded other."""

    DISCIPLINARY = "disciplinary", "惩戒公示"
    MANDATORY = "mandatory", "强制性信息披露"
    OTHER = "other", "其他"
