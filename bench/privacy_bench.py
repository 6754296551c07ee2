"""Benchmark of the privacy shield (去标识化) against a naive-regex baseline.

    python bench/privacy_bench.py [--n 10000] [--seed 1] [--errors 5]

Generates a labelled corpus of short Chinese administrative texts (公示, 通知, 处罚决定书,
办事指南, 采购公告, 答复书, 目录 metadata …), some with personal data and all with the numbers
that look like it (文号, 索引号, 统一社会信用代码, dates, amounts, 邮编, order and serial numbers,
400 numbers). The ground-truth spans are known from generation. Prints recall and precision per
type (a hit is an exact span of the right type) and the throughput on one core, for
`gongkai.privacy.scan` and for the baseline, measured in the same run.
"""

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.privacy import samples, scan  # noqa: E402
from gongkai.privacy.detect import today_in_china  # noqa: E402

TODAY = today_in_china()
TYPES = ("id_card", "id_card_15", "mobile", "landline", "bank_card", "email", "person_name")
TARGETS = {"id_card": 0.995, "mobile": 0.995, "bank_card": 0.995}
PRECISION_TARGET = 0.98
THROUGHPUT_TARGET = 5.0  # MB/s

# The baseline the brief asks for: naive patterns, no boundaries, no checks, no names.
BASELINE = (
    ("id_card", re.compile(r"\d{17}[\dXx]")),
    ("mobile", re.compile(r"1[3-9]\d{9}")),
    ("bank_card", re.compile(r"\d{16,19}")),
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
)

Segment = tuple[str, str | None]  # text, ground-truth type (None: not personal data)

TOWNS = ("六横镇", "桃花镇", "虾峙镇", "东极镇", "白沙岛", "沈家门街道", "朱家尖街道", "展茅街道")
ORGS = (
    "舟山市普陀区人民政府办公室", "普陀区市场监督管理局", "六横镇人民政府", "普陀区民政局",
    "普陀区人力资源和社会保障局", "普陀区卫生健康局", "普陀区自然资源和规划分局",
    "普陀区综合行政执法局", "普陀区住房和城乡建设局", "普陀区教育局",
)  # fmt: skip
COMPANIES = (
    "舟山市普陀海洋渔业有限公司", "浙江东海船舶修造有限公司", "舟山诚信工程咨询有限公司",
    "普陀区沈家门某某水产加工厂", "浙江舟普建设工程有限公司", "舟山海天物业管理有限公司",
)  # fmt: skip
NON_NAMES = ("办公室", "党政办", "综合科", "王局长", "张主任", "本人", "同上", "李某", "陈某某")
FILLERS = (
    "根据《中华人民共和国政府信息公开条例》第二十条的规定，现将有关事项公告如下。",
    "本机关将在收到申请之日起20个工作日内予以答复。",
    "如对本决定不服，可在收到本决定书之日起六十日内依法申请行政复议。",
    "请各单位高度重视，认真组织实施，确保各项工作落到实处。",
    "特此公告。",
    "现将有关情况通报如下。",
    "各乡镇（街道）、区级各部门：",
    "为进一步规范政务公开工作，提升政务服务水平，结合我区实际，制定本方案。",
    "全年共收到政府信息公开申请128件，办结126件，结转下年度继续办理2件。",
    "本项目资金来源为财政性资金，预算已落实。",
    "以上信息如有变更，以最新公告为准。",
    "会议要求，要坚持以人民为中心的发展思想，持续优化营商环境。",
    "主动公开政府信息1536条，其中政策文件45件。",
    "办理时限：承诺期限5个工作日，法定期限20个工作日。",
    "收费标准：不收费。",
    "本通知自印发之日起施行，有效期5年。",
)  # fmt: skip


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _date(rng: random.Random) -> str:
    y, m, d = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice((f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", f"{y}.{m:02d}.{d:02d}"))


def _amount(rng: random.Random) -> str:
    value = rng.randint(1, 99_999_999) / 100
    return rng.choice((f"{value:,.2f}", f"{value:.2f}", str(int(value)), f"{value / 10000:.4f}万"))


def _person(kind: str, text: str) -> list[Segment]:
    return [(text, kind)]


# Generators: placeholder -> list of segments.
def g_name(rng):
    return [(samples.person_name(rng), "person_name")]


def g_names(rng):
    out: list[Segment] = []
    for i in range(rng.randint(2, 8)):
        if i:
            out.append((rng.choice(("、", "、", "，", " ", "　")), None))
        out.append((samples.person_name(rng), "person_name"))
    return out


def g_roster(rng):
    out: list[Segment] = []
    for i in range(rng.randint(2, 6)):
        out.append((f"{i + 1}. ", None))
        out.append((samples.person_name(rng), "person_name"))
        out.append((rng.choice(("，", " ")), None))
        if rng.random() < 0.5:
            out += [("身份证号码：", None), (samples.id18(rng), "id_card"), ("，", None)]
        if rng.random() < 0.5:
            out += [("银行卡号：", None), (samples.bank_card(rng), "bank_card"), ("，", None)]
        out.append((f"补贴金额{rng.randint(100, 5000)}元\n", None))
    return out


def g_nonname(rng):
    return [(rng.choice(NON_NAMES + COMPANIES + ORGS), None)]


def g_id18(rng):
    number = samples.id18(rng)
    if number.endswith("X") and rng.random() < 0.3:
        number = number[:-1] + "x"
    return [(number, "id_card")]


def g_id18bad(rng):
    return [(samples.id18(rng, valid_check=False), "id_card")]


def g_id15(rng):
    return [(samples.id15(rng), "id_card_15")]


def g_mobile(rng):
    style = rng.choices(("plain", "hyphen", "space", "cc", "cc_hyphen"), (70, 10, 8, 8, 4))[0]
    return [(samples.mobile(rng, style), "mobile")]


def g_landline(rng):
    style = rng.choices(("hyphen", "paren", "plain", "ext"), (60, 20, 10, 10))[0]
    return [(samples.landline(rng, style), "landline")]


def g_card(rng):
    return [(samples.bank_card(rng, grouped=rng.random() < 0.25), "bank_card")]


def g_email(rng):
    return [(samples.email(rng), "email")]


def g_fullwidth_mobile(rng):
    digits = samples.mobile_digits(rng)
    return [(digits.translate(str.maketrans("0123456789", "０１２３４５６７８９")), "mobile")]


# Tricky negatives.
def g_credit(rng):
    return [(samples.credit_code(rng, letters=rng.random() < 0.4), None)]


def g_index(rng):
    code = samples.credit_code(rng, rng.choice(("11", "12")))
    return [(f"{code}/{rng.randint(2015, 2026)}-{rng.randint(1, 99999):05d}", None)]


def g_docno(rng):
    prefix = rng.choice(("舟普政发", "舟普政办发", "普市监罚", "普民", "六政", "舟普人社"))
    return [(f"{prefix}〔{rng.randint(2015, 2026)}〕{rng.randint(1, 199)}号", None)]


def g_date(rng):
    return [(_date(rng), None)]


def g_date8(rng):
    return [(f"{rng.randint(2015, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}", None)]


def g_amount(rng):
    return [(_amount(rng), None)]


def g_serial18(rng):
    # Business serial numbers built as 区划代码 + date + sequence look exactly like ID numbers.
    region = rng.choice(samples.REGION_CODES[:-3])
    return [(region + g_date8(rng)[0][0] + _digits(rng, 4), None)]


def g_serial11(rng):
    return [("1" + str(rng.randint(3, 9)) + _digits(rng, 9), None)]


def g_serial_long(rng):
    return [(str(rng.randint(3, 6)) + _digits(rng, rng.randint(15, 18)), None)]


def g_order(rng):
    return [
        (
            rng.choice(
                (
                    "ZJPT-" + str(rng.randint(2015, 2026)) + "-" + _digits(rng, 4),
                    "PTCG" + str(rng.randint(2015, 2026)) + _digits(rng, 3),
                    str(rng.randint(2015, 2026)) + _digits(rng, 14),
                    "DD" + _digits(rng, 16),
                )
            ),
            None,
        )
    ]


def g_zip(rng):
    return [(rng.choice(("316100", "316131", "316000", "310000", "100000")), None)]


def g_hotline(rng):
    return [
        (
            rng.choice(
                (
                    "400-" + _digits(rng, 3) + "-" + _digits(rng, 4),
                    "800-" + _digits(rng, 3) + "-" + _digits(rng, 4),
                    "400" + _digits(rng, 7),
                    "12345",
                    "95598",
                    "12315",
                )
            ),
            None,
        )
    ]


def g_barephone(rng):
    return [(str(rng.randint(2, 8)) + _digits(rng, rng.choice((6, 7))), None)]


def g_town(rng):
    return [(rng.choice(TOWNS), None)]


def g_org(rng):
    return [(rng.choice(ORGS), None)]


def g_company(rng):
    return [(rng.choice(COMPANIES), None)]


def g_year(rng):
    return [(str(rng.randint(2015, 2026)), None)]


def g_n(rng):
    return [(str(rng.randint(1, 300)), None)]


def g_url(rng):
    return [
        (
            f"https://www.putuo.gov.cn/art/{rng.randint(2015, 2026)}/{rng.randint(1, 12)}/"
            f"{rng.randint(1, 28)}/art_{rng.randint(1229000000, 1229999999)}_{rng.randint(1000000, 9999999)}.html",
            None,
        )
    ]


def g_digit_credit(rng):
    """An all-digit 统一社会信用代码 of a 社会组织; one in five also reads as region + birth
    date, i.e. looks exactly like an ID number (far more often than in real text)."""
    if rng.random() < 0.2:
        return [(samples.id_like_credit_code(rng, TODAY), None)]
    while True:
        code = samples.credit_code(rng, rng.choice(("51", "52", "53", "31", "32", "33")))
        if code[:17].isdigit():
            return [(code, None)]


GENERATORS: dict[str, Callable[[random.Random], list[Segment]]] = {
    name[2:]: fn for name, fn in globals().items() if name.startswith("g_")
}

# Templates: {placeholder} is filled by GENERATORS[placeholder].
TEMPLATES = {
    "处罚决定书（个人）": (
        "当事人：{name}，性别：男，公民身份号码：{id18}，住址：浙江省舟山市普陀区{town}某某路{n}号，"
        "联系电话：{mobile}。\n经查，当事人于{date}在{town}从事无证经营活动，违反了相关规定。"
        "依据有关规定，决定对当事人处以罚款人民币{amount}元。决定书文号：{docno}。"
    ),
    "处罚决定书（单位）": (
        "被处罚单位：{company}\n统一社会信用代码：{credit}\n法定代表人：{name}\n"
        "住所：舟山市普陀区{town}\n经查，该单位于{date}……罚款{amount}元，没收违法所得{amount}元。"
        "文号：{docno}"
    ),
    "公示（拟录用）": (
        "关于{year}年{org}公开招聘工作人员拟录用人员的公示\n根据招聘公告，经笔试、面试、体检和考察，"
        "现将拟录用人员名单公示如下：{names}\n公示时间：{date}至{date}。监督电话：{landline}。"
    ),
    "公示（名单换行）": (
        "{year}年度{town}低保对象名单公示\n名单如下：\n{roster}\n公示期为7天，如有异议请向{org}反映。"
    ),
    "通知（联系人）": (
        "关于做好{year}年度政府信息公开工作年度报告编制工作的通知\n请于{date}前报送。"
        "联系人：{name}，联系电话：{landline}，手机：{mobile}，电子邮箱：{email}。"
    ),
    "通知（联系人，机构）": (
        "{org}关于开展专项检查的通知（{docno}）\n联系人：{nonname}，电话：{landline}，"
        "传真：{landline}。邮编：{zip}。"
    ),
    "办事指南": (
        "事项名称：最低生活保障审核确认\n办理地点：{town}便民服务中心{n}号窗口\n"
        "办公时间：工作日上午8:30-12:00，下午14:00-17:30\n咨询电话：{landline}\n"
        "监督投诉电话：{hotline}\n邮政编码：{zip}\n网址：{url}"
    ),
    "采购公告": (
        "项目编号：{order}\n项目名称：{town}海塘提标改造工程监理服务\n预算金额：{amount}元（人民币）\n"
        "最高限价：{amount}元\n采购人：{org}，地址：舟山市普陀区{town}，联系人：{name}，"
        "联系方式：{landline}\n采购代理机构：{company}（统一社会信用代码：{credit}），"
        "项目联系人：{name}，电话：{mobile}，邮箱：{email}\n开标时间：{date} 09:30"
    ),
    "中标结果": (
        "中标供应商：{company}，统一社会信用代码{credit}，中标金额：{amount}元。"
        "订单号：{order}，合同编号：{serial18}，交易流水号：{serial11}。"
    ),
    "答复书": (
        "{name}：\n    您于{date}通过信函方式向本机关提出的政府信息公开申请（登记号：{serial18}）收悉。"
        "经审查，……现将有关情况告知如下。如对本答复不服，可以自收到之日起六十日内申请行政复议。\n"
        "{org}\n{date}"
    ),
    "依申请登记": (
        "申请人：{name}  证件号码：{id18}  手机：{mobile}  邮寄地址：舟山市普陀区{town}某某小区{n}幢 "
        "收件人：{name}  电子邮箱：{email}"
    ),
    "校验位不符": (
        "投诉人：{name}，身份证号：{id18bad}，联系电话：{mobile}。投诉事项：{town}某商铺占道经营。"
    ),
    "旧版证件": "户主：{name}，原身份证号（15位）：{id15}，现居住地：{town}。",
    "补贴发放": (
        "{year}年{town}耕地地力保护补贴发放情况\n户主姓名：{name}，身份证号码：{id18}，"
        "补贴面积{n}亩，补贴金额{amount}元，银行卡号：{card}。"
    ),
    "目录信息": (
        "索引号：{index}\n发布机构：{org}\n生成日期：{date}\n文号：{docno}\n发布日期：{date}\n"
        "有效性：有效"
    ),
    "年报": (
        "{year}年共收到政府信息公开申请{n}件，其中当面申请{n}件，网上申请{n}件。"
        "收取信息处理费{amount}元。本报告电子版可在{url}下载。"
    ),
    "号码干扰": (
        "编号：{serial11}  金额：{serial_long}元  识别码：{serial_long}  生成时间：{date8}  "
        "邮编{zip} 服务热线{hotline} 电话{barephone}"
    ),
    "社会组织": "社会组织名称：普陀区某某行业协会（{digit_credit}），成立日期：{date}，业务主管单位：{org}。",
    "全角号码": "联系人：{name}（手机：{fullwidth_mobile}），法定代表人：{nonname}。",
    "银行卡（分组）": "收款人：{name}；收款账号：{card}；开户行：中国农业银行舟山普陀支行。",
    "无标签姓名": "经研究，同意{name}同志任{org}副主任（试用期一年）。",
    "人事任免（无标签）": "会议决定：任命{name}为{org}科员；免去{name}的{org}副科长职务。",
    "准考证号": (
        "{year}年{org}公开招聘入围体检人员名单：{name}（准考证号：{serial11}）、"
        "{name}（准考证号：{serial11}）\n体检时间：{date}。"
    ),
    "无标签长号码": (
        "附件：{year}年度项目资金拨付明细（{serial_long}）。电子监管码{serial_long}，"
        "备案号{serial18}。"
    ),
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# How often each template is drawn (snippets without personal data are frequent, as in real
# catalogues: metadata blocks, reports, guides, results).
WEIGHTS = {name: 1.0 for name in TEMPLATES} | {
    "目录信息": 3.0,
    "年报": 2.0,
    "号码干扰": 2.0,
    "办事指南": 1.5,
    "中标结果": 1.5,
    "社会组织": 1.0,
    "无标签姓名": 0.3,
    "人事任免（无标签）": 0.3,
    "无标签长号码": 0.5,
}


def build(template: str, rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    parts: list[str] = []
    gold: list[tuple[int, int, str]] = []
    pos = 0
    pieces = _PLACEHOLDER.split(template)
    for i, piece in enumerate(pieces):
        segments = GENERATORS[piece](rng) if i % 2 else [(piece, None)]
        for text, kind in segments:
            if kind:
                gold.append((pos, pos + len(text), kind))
            parts.append(text)
            pos += len(text)
    return "".join(parts), gold


def corpus(n: int, seed: int) -> list[tuple[str, list[tuple[int, int, str]]]]:
    rng = random.Random(seed)
    names = list(TEMPLATES)
    weights = [WEIGHTS[name] for name in names]
    docs = []
    for _ in range(n):
        template = TEMPLATES[rng.choices(names, weights)[0]]
        before = rng.choice(FILLERS) + "\n" if rng.random() < 0.5 else ""
        after = "\n" + rng.choice(FILLERS) if rng.random() < 0.5 else ""
        text, gold = build(template, rng)
        shift = len(before)
        docs.append((before + text + after, [(s + shift, e + shift, k) for s, e, k in gold]))
    return docs


def ours(text: str) -> list[tuple[int, int, str]]:
    return [(f.start, f.end, f.type) for f in scan(text)]


def baseline(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), kind) for kind, rx in BASELINE for m in rx.finditer(text)]


def evaluate(detector, docs):
    gold_n: Counter = Counter()
    pred_n: Counter = Counter()
    hits: Counter = Counter()
    misses: dict[str, list] = {t: [] for t in TYPES}
    false: dict[str, list] = {t: [] for t in TYPES}
    for text, gold in docs:
        predicted = set(detector(text))
        expected = set(gold)
        for s, e, k in expected:
            gold_n[k] += 1
            if (s, e, k) in predicted:
                hits[k] += 1
            else:
                misses[k].append((text, text[s:e]))
        for s, e, k in predicted:
            pred_n[k] += 1
            if (s, e, k) not in expected:
                false[k].append((text, text[s:e]))
    return gold_n, pred_n, hits, misses, false


def throughput(detector, docs, repeat: int = 3) -> float:
    """UTF-8 MB per second of CPU time (process_time: one thread, so one core; unlike wall
    time it does not count the time other processes take on a busy machine)."""
    texts = [text for text, _ in docs]
    size = sum(len(t.encode("utf-8")) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for text in texts:
            detector(text)
        best = min(best, time.process_time() - started)
    return size / best / 1e6


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2%}" if den else "—"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="snippets to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", type=int, default=0, help="show N misses/false hits per type")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (best is kept)")
    args = parser.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    console = Console()
    docs = corpus(args.n, args.seed)
    size_mb = sum(len(t.encode("utf-8")) for t, _ in docs) / 1e6
    joined = "\n".join(t for t, _ in docs)
    console.print(
        f"corpus: {len(docs)} snippets, {size_mb:.2f} MB UTF-8, seed {args.seed}, "
        f"{sum(1 for _, g in docs if g)} with personal data, "
        f"{sum(len(g) for _, g in docs)} ground-truth spans"
    )

    ours_eval = evaluate(ours, docs)
    base_eval = evaluate(baseline, docs)
    ours_speed = throughput(ours, docs, args.repeat)
    base_speed = throughput(baseline, docs, args.repeat)
    joined_speed = throughput(ours, [(joined, [])], args.repeat)

    table = Table(title="Privacy shield vs naive regexes (exact span and type)")
    for column in (
        "type",
        "gold",
        "ours recall",
        "ours precision",
        "baseline recall",
        "baseline precision",
    ):
        table.add_column(column, justify="left" if column == "type" else "right")
    ok = True
    for kind in TYPES:
        gold_n, pred_n, hits = ours_eval[0][kind], ours_eval[1][kind], ours_eval[2][kind]
        b_pred, b_hits = base_eval[1][kind], base_eval[2][kind]
        covered = any(k == kind for k, _ in BASELINE)
        table.add_row(
            kind,
            str(gold_n),
            _ratio(hits, gold_n),
            _ratio(hits, pred_n),
            _ratio(b_hits, gold_n) if covered else "—",
            _ratio(b_hits, b_pred) if covered else "—",
        )
        if kind in TARGETS and gold_n and hits / gold_n < TARGETS[kind]:
            ok = False
        if kind in TARGETS and pred_n and hits / pred_n < PRECISION_TARGET:
            ok = False
    all_gold = sum(ours_eval[0].values())
    all_pred = sum(ours_eval[1].values())
    all_hits = sum(ours_eval[2].values())
    table.add_row(
        "all",
        str(all_gold),
        _ratio(all_hits, all_gold),
        _ratio(all_hits, all_pred),
        _ratio(sum(base_eval[2].values()), all_gold),
        _ratio(sum(base_eval[2].values()), sum(base_eval[1].values())),
    )
    console.print(table)

    speed = Table(title="Throughput, one core (UTF-8 MB per CPU second, best of runs)")
    speed.add_column("detector")
    speed.add_column("per snippet", justify="right")
    speed.add_column("whole corpus as one text", justify="right")
    speed.add_row("gongkai.privacy.scan", f"{ours_speed:.1f}", f"{joined_speed:.1f}")
    speed.add_row("baseline regexes", f"{base_speed:.1f}", "")
    console.print(speed)
    console.print(f"throughput ratio baseline / ours: {base_speed / ours_speed:.1f}×")
    if ours_speed < THROUGHPUT_TARGET:
        ok = False
    console.print(
        f"targets (recall ≥ 99.5% for id_card/mobile/bank_card, precision ≥ 98%, "
        f"≥ {THROUGHPUT_TARGET:g} MB/s): {'met' if ok else 'NOT met'}"
    )

    if args.errors:
        for kind in TYPES:
            for label, items in (("miss", ours_eval[3][kind]), ("false", ours_eval[4][kind])):
                for text, span in items[: args.errors]:
                    console.print(f"[{kind} {label}] {span!r} in {text!r}", markup=False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
