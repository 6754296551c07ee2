"""Vocabularies of 回应解读 and 我为政府网站找错 (labels are Chinese data, verbatim).

The row labels of the pre-2019 统计表 (section 二、回应解读情况) are copied from the seed
(RULES.md Part B) and are what `selectors.response_rows` reports under.
"""

from django.db import models


class IncidentKind(models.TextChoices):
    OPINION = "opinion", "网络舆情"
    HOT_TOPIC = "hot_topic", "公众关注热点"


class IncidentSource(models.TextChoices):
    NEWS_SITE = "news_site", "新闻网站"
    FORUM = "forum", "论坛贴吧"
    WEIBO = "weibo", "微博"
    WECHAT = "wechat", "微信"
    SHORT_VIDEO = "short_video", "短视频平台"
    HOTLINE = "hotline", "12345热线"
    PETITION = "petition", "信访"
    MEDIA = "media", "新闻媒体报道"
    INSPECTION = "inspection", "上级交办"
    OTHER = "other", "其他"


class IncidentLevel(models.TextChoices):
    """舆情分级 (IV 级 一般 … I 级 特别重大)."""

    ORDINARY = "ordinary", "一般"
    LARGER = "larger", "较大"
    MAJOR = "major", "重大"
    GRAVE = "grave", "特别重大"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "处置中"
    RESPONDED = "responded", "已回应"
    CLOSED = "closed", "已办结"


class ResponseChannel(models.TextChoices):
    """Where a response was given. 新闻发布会 responses are counted by the press conference
    records (row 1); 微博 and 微信 together make row 3; the rest make row 4."""

    PRESS_CONFERENCE = "press_conference", "新闻发布会"
    WEBSITE = "website", "政府网站"
    WEIBO = "weibo", "政务微博"
    WECHAT = "wechat", "政务微信"
    MEDIA = "media", "新闻媒体"
    INTERVIEW = "interview", "在线访谈"
    OTHER = "other", "其他方式"


WEIBO_WECHAT = frozenset({ResponseChannel.WEIBO, ResponseChannel.WECHAT})
OTHER_CHANNELS = frozenset(
    {
        ResponseChannel.WEBSITE,
        ResponseChannel.MEDIA,
        ResponseChannel.INTERVIEW,
        ResponseChannel.OTHER,
    }
)


class ConferenceRole(models.TextChoices):
    """参加或举办新闻发布会: the agency held it, or took part in another's."""

    HELD = "held", "举办"
    ATTENDED = "attended", "参加"


class InterpretationForm(models.TextChoices):
    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    VIDEO = "video", "视频解读"
    QA = "qa", "问答"


class ErrorType(models.TextChoices):
    CONTENT = "content", "内容错误"
    LINK = "link", "链接错误"
    TYPO = "typo", "错别字"
    UNREACHABLE = "unreachable", "页面无法访问"
    OTHER = "other", "其他问题"


class ErrorStatus(models.TextChoices):
    SUBMITTED = "submitted", "待处理"
    ASSIGNED = "assigned", "处理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


class ErrorOutcome(models.TextChoices):
    """How a closed report ended; only 已更正 counts as 解决网民政府网站找错."""

    FIXED = "fixed", "已更正"
    NO_ERROR = "no_error", "经核实无误"
    DUPLICATE = "duplicate", "重复报告"
    OUT_OF_SCOPE = "out_of_scope", "非本网站问题"


# 二、回应解读情况 of the pre-2019 统计表, verbatim as the seed prints them, ASCII brackets and colon included (code, label); the
# seed gives these rows no unit.
RESPONSE_ROWS = [
    ("responded", "(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)"),
    ("conferences", "1.参加或举办新闻发布会总次数"),
    ("conferences_principal", "其中:主要负责同志参加新闻发布会次数"),
    ("interpretations", "2.政策解读稿件发布数"),
    ("weibo_wechat", "3.微博微信回应事件数"),
    ("other_channels", "4.其他方式回应事件数"),
]
