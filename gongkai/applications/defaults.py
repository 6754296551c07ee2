"""The platform's default letter texts (an agency edits its own copies).

Each body is plain text: paragraphs separated by blank lines, placeholders in braces. The
reply letters cite the article the outcome rests on ({法律依据}) and end with the remedies
paragraph: 行政复议 within 60 days (行政复议法 第二十条), 行政诉讼 within six months (行政诉讼法
第四十六条).
"""

from __future__ import annotations

REMEDIES = (
    "如对本答复不服，可以自收到本答复之日起六十日内向{复议机关}申请行政复议，"
    "或者自收到本答复之日起六个月内向{管辖法院}提起行政诉讼。"
)

CONTACT = "联系机构：{联系机构}　联系地址：{联系地址}　邮政编码：{邮政编码}　联系电话：{联系电话}"

_HEAD = "{申请人}：\n\n本机关于{收到日期}收到{称谓}提出的政府信息公开申请（申请编号：{申请编号}），申请获取：{所需信息}"

# The agency signs (and seals); its disclosure office is named only as the contact.
_SIGN = "{机关名称}\n{日期}"

_REPLY_BODIES = {
    "disclosed": (
        "经审查，{称谓}申请的政府信息属于公开范围，根据《中华人民共和国政府信息公开条例》"
        "{法律依据}的规定，予以公开。{答复内容}"
    ),
    "partial": (
        "经审查，{称谓}申请的政府信息中含有不应当公开的内容，但能够作区分处理。根据"
        "《中华人民共和国政府信息公开条例》{法律依据}的规定，现向{称谓}提供可以公开的内容；"
        "不予公开部分的理由如下：{答复内容}"
    ),
    "withheld": (
        "经审查，{称谓}申请的政府信息{答复结果}。根据《中华人民共和国政府信息公开条例》"
        "{法律依据}的规定，不予公开。理由如下：{答复内容}"
    ),
    "unavailable": (
        "经审查，{答复结果}。根据《中华人民共和国政府信息公开条例》{法律依据}的规定，"
        "特此告知。{答复内容}"
    ),
    "not_processed": (
        "经审查，{答复结果}。根据《中华人民共和国政府信息公开条例》{法律依据}的规定，"
        "本机关不作为政府信息公开申请处理。{答复内容}"
    ),
    "other": "经审查，{答复结果}。{答复内容}",
}


def _reply(family: str) -> tuple[str, str]:
    body = "\n\n".join([_HEAD + "。", _REPLY_BODIES[family], REMEDIES, CONTACT, _SIGN])
    return "政府信息公开申请答复告知书", body


TEMPLATES: dict[tuple[str, str], tuple[str, str]] = {
    **{("reply", family): _reply(family) for family in _REPLY_BODIES},
    ("correction", ""): (
        "政府信息公开申请补正告知书",
        "\n\n".join(
            [
                _HEAD + "。",
                "经审查，{称谓}的申请内容不够明确。根据《中华人民共和国政府信息公开条例》"
                "第三十条的规定，请{称谓}对以下事项作出补正：\n{补正事项}",
                "请于{补正期限}前将补正后的申请提交本机关（可在网上申请查询页面上传）。答复期限"
                "自本机关收到补正的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关"
                "不再处理该政府信息公开申请。",
                CONTACT,
                _SIGN,
            ]
        ),
    ),
    ("extension", ""): (
        "政府信息公开申请延期答复告知书",
        "\n\n".join(
            [
                _HEAD + "。",
                "因{延期理由}，本机关不能在{原答复期限}前作出答复。根据《中华人民共和国政府信息"
                "公开条例》第三十三条第二款的规定，经政府信息公开工作机构负责人同意，答复期限延长"
                "{延长天数}个工作日，至{延长后答复期限}。",
                CONTACT,
                _SIGN,
            ]
        ),
    ),
    ("consult_third_party", ""): (
        "政府信息公开征求第三方意见书",
        "\n\n".join(
            [
                "{被征求意见方}：",
                "本机关收到政府信息公开申请（申请编号：{申请编号}），申请公开的政府信息可能涉及"
                "{称谓}的合法权益：{所需信息}",
                "根据《中华人民共和国政府信息公开条例》第三十二条的规定，请{称谓}自收到本意见"
                "书之日起15个工作日内（即{意见期限}前）书面提出是否同意公开的意见，不同意公开的请"
                "说明理由。逾期未提出意见的，由本机关依照条例的规定决定是否公开。",
                CONTACT,
                _SIGN,
            ]
        ),
    ),
    ("consult_agency", ""): (
        "政府信息公开征求意见函",
        "\n\n".join(
            [
                "{被征求意见方}：",
                "本机关收到政府信息公开申请（申请编号：{申请编号}），申请公开的政府信息由贵机关与"
                "本机关共同制作：{所需信息}",
                "根据《中华人民共和国政府信息公开条例》第三十四条的规定，请贵机关自收到本函之日起"
                "15个工作日内（即{意见期限}前）提出意见。逾期未提出意见的，视为同意公开。",
                CONTACT,
                _SIGN,
            ]
        ),
    ),
    ("fee_notice", ""): (
        "政府信息公开信息处理费收费通知书",
        "\n\n".join(
            [
                _HEAD + "。",
                "根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理"
                "办法》（国办函〔2020〕109号）的规定，本机关决定对该申请收取信息处理费。收费标准："
                "{收费标准}。计费明细：{收费明细}。应缴金额：{收费金额}元。",
                "请于{缴费期限}前缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开"
                "申请。自收费通知发出至缴费之日，不计算在答复期限内。",
                CONTACT,
                _SIGN,
            ]
        ),
    ),
}


def template(kind: str, family: str = "") -> tuple[str, str]:
    return TEMPLATES[(kind, family)]
