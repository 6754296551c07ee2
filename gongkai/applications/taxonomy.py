"""Official vocabularies of 依申请公开 (labels verbatim, as the regulation and the report formats
use them; they stay in Chinese in every language)."""

from django.db import models


class ApplicantType(models.TextChoices):
    """The seven columns of 表三 less 总计 (2019 and 2021 formats)."""

    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他"

    @classmethod
    def organisations(cls) -> list[str]:
        return [t for t in cls.values if t != cls.NATURAL_PERSON]


class IdType(models.TextChoices):
    """身份证明 (第二十九条（一）)."""

    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    PERMANENT_RESIDENCE = "permanent_residence", "外国人永久居留身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他有效证件"


class Channel(models.TextChoices):
    """How the application reached the agency; decides the receipt date (第三十一条)."""

    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（需签收）"
    POST_PLAIN = "post_plain", "平常信函"
    ONLINE = "online", "互联网渠道"
    FAX = "fax", "传真"
    ORAL = "oral", "口头提出（代为填写）"


# Channels whose receipt date is the day both sides confirm (第三十一条（二）（三）).
CONFIRMED_CHANNELS = frozenset({Channel.POST_PLAIN, Channel.ONLINE, Channel.FAX})


class InformationForm(models.TextChoices):
    """形式要求 (第二十九条（三）, 第四十条)."""

    PAPER = "paper", "纸质文本"
    EMAIL = "email", "电子邮件"
    DISC = "disc", "光盘或U盘"
    INSPECT = "inspect", "当场查阅、抄录"


class DeliveryMethod(models.TextChoices):
    """获取信息的方式、途径."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    COLLECT = "collect", "当场领取"
    ONLINE = "online", "网上查看下载"


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", "征求第三方意见"
    AGENCY = "agency", "征求其他机关意见"


class ConsultationReply(models.TextChoices):
    AGREE = "agree", "同意公开"
    DISAGREE = "disagree", "不同意公开"
    SILENT = "silent", "逾期未提出意见"


class FeeSchedule(models.TextChoices):
    PER_ITEM = "per_item", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class AppealKind(models.TextChoices):
    """The three groups of 表四."""

    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    MAINTAINED = "maintained", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class LetterKind(models.TextChoices):
    REPLY = "reply", "政府信息公开申请答复告知书"
    CORRECTION = "correction", "政府信息公开申请补正告知书"
    EXTENSION = "extension", "政府信息公开申请延期答复告知书"
    CONSULT_THIRD_PARTY = "consult_third_party", "政府信息公开征求第三方意见书"
    CONSULT_AGENCY = "consult_agency", "政府信息公开征求意见函"
    FEE_NOTICE = "fee_notice", "政府信息公开信息处理费收费通知书"
