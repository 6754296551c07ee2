"""Outcome codes of an application and the report row each one counts in (RULES A.6, C §1.6, §2.4).

An outcome is fine-grained on purpose: each code maps to exactly one row of 表三 in the 2021
format, one in the 2019 (试行) format and one in the pre-2019 统计表, so that every format is
computed from the same records. The three mappings live here and nowhere else.

Row keys are the row's position in its table, written as the table writes it (三（三）1 is
"三、本年度办理结果 /（三）不予公开 / 1.属于国家秘密"); the labels are verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class OutcomeFamily(models.TextChoices):
    """The groups of 第三十六条, one reply letter template each."""

    DISCLOSED = "disclosed", "予以公开"
    PARTIAL = "partial", "部分公开"
    WITHHELD = "withheld", "不予公开"
    UNAVAILABLE = "unavailable", "无法提供"
    NOT_PROCESSED = "not_processed", "不予处理"
    OTHER = "other", "其他处理"


class Outcome(models.TextChoices):
    # （一）予以公开 — 第三十六条（一）（二）
    PROACTIVE = "proactive", "予以公开（已主动公开，告知获取途径）"
    DISCLOSED = "disclosed", "予以公开"
    # （二）部分公开 — 第三十七条
    PARTIAL = "partial", "部分公开（区分处理）"
    # （三）不予公开 — 第十四条至第十六条
    STATE_SECRET = "state_secret", "不予公开：属于国家秘密"
    PROHIBITED = "prohibited", "不予公开：其他法律行政法规禁止公开"
    SECURITY = "security", "不予公开：危及“三安全一稳定”"
    TRADE_SECRET = "trade_secret", "不予公开：保护第三方合法权益（商业秘密）"
    PRIVACY = "privacy", "不予公开：保护第三方合法权益（个人隐私）"
    THIRD_PARTY_OTHER = "third_party_other", "不予公开：保护第三方合法权益（其他）"
    INTERNAL = "internal", "不予公开：属于三类内部事务信息"
    PROCESS = "process", "不予公开：属于四类过程性信息"
    ENFORCEMENT_FILE = "enforcement_file", "不予公开：属于行政执法案卷"
    QUERY_MATTER = "query_matter", "不予公开：属于行政查询事项"
    # （四）无法提供 — 第三十六条（四）（五）, 第三十八条, 第三十条
    NOT_EXIST = "not_exist", "无法提供：经检索没有所申请公开信息（信息不存在）"
    NOT_RESPONSIBLE = "not_responsible", "无法提供：不属于本机关负责公开"
    NEEDS_CREATION = "needs_creation", "无法提供：没有现成信息需要另行制作"
    STILL_UNCLEAR = "still_unclear", "无法提供：补正后申请内容仍不明确"
    # （五）不予处理 — 第三十五条, 第三十六条（六）, 第三十九条
    PETITION = "petition", "不予处理：信访举报投诉类申请"
    REPEAT = "repeat", "不予处理：重复申请"
    PUBLICATION = "publication", "不予处理：要求提供公开出版物"
    EXCESSIVE = "excessive", "不予处理：无正当理由大量反复申请"
    CONFIRMATION = "confirmation", "不予处理：要求行政机关确认或重新出具已获取信息"
    # （六）其他处理
    NO_CORRECTION = "no_correction", "其他处理：申请人逾期不补正"
    NO_PAYMENT = "no_payment", "其他处理：申请人逾期未缴纳信息处理费"
    OTHER = "other", "其他处理：其他（如申请人撤回申请）"


@dataclass(frozen=True)
class OutcomeRule:
    family: OutcomeFamily
    row_2021: str
    row_2019: str
    row_legacy: str
    basis: str  # the article the reply letter cites


Oc, F = Outcome, OutcomeFamily

# Pre-2019 mappings marked DERIVED follow 国办发〔2010〕5号, which treated internal management and
# process information as "不是《条例》所指政府信息", and 第三十九条's "告知获取的途径" for
# requests that belong to other procedures.
RULES: dict[str, OutcomeRule] = {
    Oc.PROACTIVE: OutcomeRule(
        F.DISCLOSED, "三（一）", "三（一）", "三（三）1", "第三十六条第（一）项"
    ),
    Oc.DISCLOSED: OutcomeRule(
        F.DISCLOSED, "三（一）", "三（一）", "三（三）2", "第三十六条第（二）项"
    ),
    Oc.PARTIAL: OutcomeRule(F.PARTIAL, "三（二）", "三（二）", "三（三）3", "第三十七条"),
    Oc.STATE_SECRET: OutcomeRule(F.WITHHELD, "三（三）1", "三（三）1", "三（三）4a", "第十四条"),
    Oc.PROHIBITED: OutcomeRule(F.WITHHELD, "三（三）2", "三（三）2", "三（三）4f", "第十四条"),
    Oc.SECURITY: OutcomeRule(F.WITHHELD, "三（三）3", "三（三）3", "三（三）4d", "第十四条"),
    Oc.TRADE_SECRET: OutcomeRule(F.WITHHELD, "三（三）4", "三（三）4", "三（三）4b", "第十五条"),
    Oc.PRIVACY: OutcomeRule(F.WITHHELD, "三（三）4", "三（三）4", "三（三）4c", "第十五条"),
    Oc.THIRD_PARTY_OTHER: OutcomeRule(
        F.WITHHELD, "三（三）4", "三（三）4", "三（三）4f", "第十五条、第三十二条"
    ),
    Oc.INTERNAL: OutcomeRule(F.WITHHELD, "三（三）5", "三（三）5", "三（三）4e", "第十六条第一款"),
    Oc.PROCESS: OutcomeRule(F.WITHHELD, "三（三）6", "三（三）6", "三（三）4e", "第十六条第二款"),
    Oc.ENFORCEMENT_FILE: OutcomeRule(
        F.WITHHELD, "三（三）7", "三（三）7", "三（三）4f", "第十六条第二款"
    ),
    Oc.QUERY_MATTER: OutcomeRule(
        F.WITHHELD, "三（三）8", "三（三）8", "三（三）8", "第三十六条第（七）项"
    ),
    Oc.NOT_EXIST: OutcomeRule(
        F.UNAVAILABLE, "三（四）1", "三（四）1", "三（三）6", "第三十六条第（四）项"
    ),
    Oc.NOT_RESPONSIBLE: OutcomeRule(
        F.UNAVAILABLE, "三（四）1", "三（四）1", "三（三）5", "第三十六条第（五）项"
    ),
    Oc.NEEDS_CREATION: OutcomeRule(
        F.UNAVAILABLE, "三（四）2", "三（四）2", "三（三）6", "第三十八条"
    ),
    Oc.STILL_UNCLEAR: OutcomeRule(F.UNAVAILABLE, "三（四）3", "三（四）3", "三（三）7", "第三十条"),
    Oc.PETITION: OutcomeRule(F.NOT_PROCESSED, "三（五）1", "三（五）1", "三（三）8", "第三十九条"),
    Oc.REPEAT: OutcomeRule(
        F.NOT_PROCESSED, "三（五）2", "三（五）2", "三（三）8", "第三十六条第（六）项"
    ),
    Oc.PUBLICATION: OutcomeRule(
        F.NOT_PROCESSED, "三（五）3", "三（五）3", "三（三）8", "第三十九条"
    ),
    Oc.EXCESSIVE: OutcomeRule(F.NOT_PROCESSED, "三（五）4", "三（五）4", "三（三）8", "第三十五条"),
    Oc.CONFIRMATION: OutcomeRule(
        F.NOT_PROCESSED, "三（五）5", "三（五）5", "三（三）8", "第三十九条"
    ),
    Oc.NO_CORRECTION: OutcomeRule(F.OTHER, "三（六）1", "三（六）", "三（三）7", "第三十条"),
    Oc.NO_PAYMENT: OutcomeRule(
        F.OTHER, "三（六）2", "三（六）", "三（三）8", "第四十二条、国办函〔2020〕109号"
    ),
    Oc.OTHER: OutcomeRule(F.OTHER, "三（六）3", "三（六）", "三（三）8", ""),
}

# Verbatim row labels of each format's 表三 rows that outcomes count in (C §2.4, Part B).
ROWS_2021: dict[str, str] = {
    "三（一）": "（一）予以公开",
    "三（二）": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "三（三）1": "1.属于国家秘密",
    "三（三）2": "2.其他法律行政法规禁止公开",
    "三（三）3": "3.危及“三安全一稳定”",
    "三（三）4": "4.保护第三方合法权益",
    "三（三）5": "5.属于三类内部事务信息",
    "三（三）6": "6.属于四类过程性信息",
    "三（三）7": "7.属于行政执法案卷",
    "三（三）8": "8.属于行政查询事项",
    "三（四）1": "1.本机关不掌握相关政府信息",
    "三（四）2": "2.没有现成信息需要另行制作",
    "三（四）3": "3.补正后申请内容仍不明确",
    "三（五）1": "1.信访举报投诉类申请",
    "三（五）2": "2.重复申请",
    "三（五）3": "3.要求提供公开出版物",
    "三（五）4": "4.无正当理由大量反复申请",
    "三（五）5": "5.要求行政机关确认或重新出具已获取信息",
    "三（六）1": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "三（六）2": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "三（六）3": "3.其他",
}
ROWS_2019: dict[str, str] = {
    **{key: label for key, label in ROWS_2021.items() if not key.startswith("三（六）")},
    "三（六）": "（六）其他处理",
}
ROWS_LEGACY: dict[str, str] = {
    "三（三）1": "1.属于已主动公开范围数",
    "三（三）2": "2.同意公开答复数",
    "三（三）3": "3.同意部分公开答复数",
    "三（三）4a": "其中:涉及国家秘密",
    "三（三）4b": "涉及商业秘密",
    "三（三）4c": "涉及个人隐私",
    "三（三）4d": "危及国家安全、公共安全、经济安全和社会稳定",
    "三（三）4e": "不是《条例》所指政府信息",
    "三（三）4f": "法律法规规定的其他情形",
    "三（三）5": "5.不属于本行政机关公开数",
    "三（三）6": "6.申请信息不存在数",
    "三（三）7": "7.告知作出更改补充数",
    "三（三）8": "8.告知通过其他途径办理数",
}

# Pre-2019 table, 三（一）收到申请数 by channel.
LEGACY_CHANNEL_ROWS: dict[str, str] = {
    "in_person": "1.当面申请数",
    "oral": "1.当面申请数",
    "fax": "2.传真申请数",
    "online": "3.网络申请数",
    "post_signed": "4.信函申请数",
    "post_plain": "4.信函申请数",
}


def rule(outcome: str) -> OutcomeRule:
    return RULES[outcome]


def family(outcome: str) -> OutcomeFamily:
    return RULES[outcome].family


def outcomes_in(family_: str) -> list[str]:
    return [code for code, r in RULES.items() if r.family == family_]


# Outcomes that end the case without a decision on the information itself: recorded by the
# clock (a lapse) or by the applicant (withdrawal), not chosen in the reply form.
LAPSE_OUTCOMES = frozenset({Outcome.NO_CORRECTION, Outcome.NO_PAYMENT})
