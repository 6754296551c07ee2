"""Which of the shield's fixed lines, mailboxes and mobiles are an office's, not a person's.

Plain Python, run once per scan after every candidate (names included) is known: it only
changes the note of a candidate (NOTE_PUBLIC_LINE / NOTE_PUBLIC_MAILBOX), never its span or
type, so the scanning loop's findings are the same with or without it.

Notices print the lines and mailboxes of the offices that issue them (咨询电话, 举报邮箱, the
agency's switchboard beside its address): they are not personal data and must not block
publication. A private person's line must: whenever a person is named or marked (联系人,
经办人, 申请人 …, a name found) where the number is printed, the finding is kept. What makes a
contact an office's here, each rule on its own:

* an organisation named shortly before it, no person in between (XX局 / 中心 / 报社 / 巡察组 …);
* a fixed line with an extension (0580-3012345转801): a switchboard, never a home line;
* a fixed line printed under an office's address (地址：…路2号 then 电话：…);
* a mailbox labelled as an office's (投稿邮箱, 举报邮箱, 指定邮箱 …), one the reader is asked to
  send something to (发送至 / 发邮件到 …), or one at a government or university domain;
* a mobile only inside a hotline's list, after the office's fixed line (举报电话：0553-2595762
  15212242863), with no person on its line: a mobile is otherwise always a person's, even
  right after 监督电话 (a village head's own number is printed so).
"""

from __future__ import annotations

import re

from gongkai.privacy.findings import (
    EMAIL,
    LANDLINE,
    MOBILE,
    NOTE_PUBLIC_LINE,
    NOTE_PUBLIC_MAILBOX,
    PERSON_NAME,
)

Candidate = tuple[int, int, str, float, str]  # start, end, type, confidence, note

# An organisation's name ends in one of these. A multi-character suffix stands alone; a single
# character (局, 委, 办, 厅, 站, 馆) only at the end of a word, before a break or a contact word,
# and not in the words that end in it ("服务大局，", "举办", "网站，").
_ORG_SUFFIX = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|办事处|委员会|管委会|居委会|村委会|组委会|理事会|中心|公司|"
    r"学校|学院|医院|卫生院|法院|检察院|研究院|研究所|窗口|热线|大厅|服务站|工作站|管理站|救助站|"
    r"派出所|司法所|事务所|管理所|街道|社区|纪委|监委|党委|大队|支队|分局|协会|学会|商会|工会|"
    r"基金会|研究会|促进会|联合会|合作社|报社|杂志社|出版社|通讯社|电视台|电台|文联|科协|侨联|"
    r"妇联|残联|部门|机关|秘书处|管理处|编辑部|组织部|宣传部|统战部|项目部|指挥部|巡察组|巡视组|"
    r"工作组|领导小组|调查组|督导组|督查组|会务组|专家组|专班)"
    r"|(?:(?<![大格结布开全时败残僵骗赌饭变定危困棋终])局|(?<![举创承督交协代包查么好难兴])办|"
    r"(?<![网车])站|[委厅馆])"
    r"(?=[\s\u3000,，。.:：;；、()（）【】\[\]]|电话|联系|邮箱|邮件|电邮|传真|地址|"
    r"咨询|监督|举报|投诉|办公|值班|服务|受理|反映|反馈|$)"
)
# A person's data: a role word, an address or a form of address. One in the number's own
# sentence makes it personal wherever an office is named.
_PERSON_MARK = re.compile(
    r"联系人|经办人|承办人|当事人|申请人|负责人|代表人|户主|收款人|开户人|领款人|被处罚人|"
    r"举报人|投诉人|监护人|本人|住址|住所|家庭地址|现住|居住|姓名|先生|女士|同志"
)
_SENTENCE_BREAK = re.compile(r"[。！？!?\n]")
_WINDOW = 120  # characters looked back, within the number's line and two lines above

# An office's address above a fixed line ("地址：珠海市香洲区迎宾北路2042号⏎电话：…"): the label,
# then a building number or a room on the same line. A home address is written after 住址,
# 家庭地址 or a person's name, which keep the line personal.
_OFFICE_ADDRESS = re.compile(
    r"(?<![住庭])(?:办公|通信|通讯|联系|单位|邮寄)?地址[:：]?[^\n]{0,40}?[0-9一二三四五六七八九十]+(?:号|楼|室)"
)
# A mailbox the text names as an office's.
_MAILBOX_LABEL = re.compile(
    r"(?:投稿|举报|投诉|咨询|指定|官方|征集|征文|征稿|年会|会务|公共|单位|受理|信访|报送|监督|"
    r"来稿|报名|意见)(?:电子)?(?:邮箱|信箱|邮件地址)[ \t\u3000]*[:：]?[ \t\u3000]*\Z"
)
_MAILBOX_LABEL_WINDOW = 16
# The reader is asked to send something to it: "发送至", "发邮件到", "反馈至…邮箱：", "或发电子信箱："
_SEND_TO = re.compile(
    r"(?:发送|寄送|报送|反馈|提交|投递|传送|发|寄)(?:邮件|电子邮件)?(?:至|到)"
    r"|发(?:送)?(?:电子)?(?:邮件|邮箱|信箱)"
)
_SEND_TO_GAP = 12  # characters between the verb and the address ("发送至文化馆指定邮箱:")
_GAP_BREAK = re.compile(r"[，。；;,！？!?\n]")
_INSTITUTION_DOMAIN = re.compile(r"\.(?:gov|edu)(?:\.cn)?\Z", re.IGNORECASE)
# A fixed line's extension: 0580-3012345转801, 0580-3012345-801, 分机 801.
_EXTENSION = re.compile(r"(?:转|分机|ext)", re.IGNORECASE)
# A hotline's label ("举报电话：", "24小时救助热线", "传真："), for the fixed line right after it.
_HOTLINE_LABEL = re.compile(
    r"(?:咨询|监督|举报|投诉|服务|受理|值班|办公|求助|救助|信访|预约|客服)(?:电话|热线|专线)"
    r"|热线(?:电话)?|传真"
)
_HOTLINE_WINDOW = 16
# More local numbers after a fixed line, the office's other lines ("0455-6462877,6461700").
_MORE_LOCAL_NUMBERS = re.compile(r"[ \t\u3000、，,/]+[2-9][0-9]{6,7}(?![0-9])")
# What follows a mobile up to the end of its clause list ("；", "。" or the line's end).
_CLAUSE_REST = re.compile(r"[^。；;\n]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LIST_SEPARATOR = re.compile(r"[ \t\u3000、，,/或及和]*\Z")


def _context_start(work: str, start: int) -> int:
    """The start of the window an office is looked for in: the number's line and the two
    non-blank lines above it, at most _WINDOW characters back."""
    lo = max(0, start - _WINDOW)
    pos, lines = start, 0
    while lines < 3:
        nl = work.rfind("\n", lo, pos)
        if nl < 0:
            return lo
        if work[nl + 1 : pos].strip():
            lines += 1
        pos = nl
    return pos + 1


class _Context:
    """What is written before a contact at [start, end): its window, its sentence, the
    person marks and the names found there."""

    def __init__(self, work: str, start: int, end: int, person_spans: list[tuple[int, int]]):
        self.work, self.start, self.end = work, start, end
        self.lo = _context_start(work, start)
        self.sentence = max(
            (m.end() for m in _SENTENCE_BREAK.finditer(work, self.lo, start)), default=self.lo
        )
        self.person_spans = person_spans

    def person_in(self, lo: int, hi: int) -> bool:
        """A person mark or a name found within [lo, hi)."""
        if _PERSON_MARK.search(self.work, lo, hi):
            return True
        return any(lo <= s and e <= hi for s, e in self.person_spans)

    def person_in_sentence(self) -> bool:
        return self.person_in(self.sentence, self.start)

    def last_person(self) -> int:
        """Where the last person mark or name before the contact ends (-1: none)."""
        last = max(
            (m.end() for m in _PERSON_MARK.finditer(self.work, self.lo, self.start)), default=-1
        )
        return max([last, *(e for s, e in self.person_spans if self.lo <= s and e <= self.start)])

    def rest_of_line_has_person(self) -> bool:
        line_end = self.work.find("\n", self.end)
        return self.person_in(self.end, len(self.work) if line_end < 0 else line_end)


def _after_organisation(ctx: _Context, office_ends: list[int]) -> bool:
    """The nearest mark before the contact is an organisation (or an office's contact just
    noted), not a person, and no person is in its sentence."""
    if ctx.person_in_sentence():
        return False
    org = max((m.end() for m in _ORG_SUFFIX.finditer(ctx.work, ctx.lo, ctx.start)), default=-1)
    org = max([org, *(e for e in office_ends if ctx.lo <= e <= ctx.start)])
    return org >= 0 and ctx.last_person() <= org


def _office_landline(ctx: _Context) -> bool:
    label = _hotline_label(ctx)
    if label >= 0 and ctx.last_person() <= label:
        return True  # "拨打山西晚报热线电话03514286666", a person named earlier in the sentence
    if ctx.person_in_sentence():
        return False
    number = ctx.work[ctx.start : ctx.end]
    if _EXTENSION.search(number) or number.count("-") == 2:
        return True  # a switchboard's extension
    if _MORE_LOCAL_NUMBERS.match(ctx.work, ctx.end):
        return True  # "010-88581681 88581670 88581672": an office's several lines
    address = list(_OFFICE_ADDRESS.finditer(ctx.work, ctx.lo, ctx.start))
    return bool(address) and ctx.last_person() < address[-1].start()


def _office_mailbox(ctx: _Context) -> bool:
    work, start = ctx.work, ctx.start
    if _MAILBOX_LABEL.search(work, max(ctx.sentence, start - _MAILBOX_LABEL_WINDOW), start):
        return True  # the text names it an office's: 投稿邮箱, 举报邮箱 …
    if ctx.person_in_sentence():
        return False
    for verb in _SEND_TO.finditer(work, ctx.sentence, start):
        gap = work[verb.end() : start]
        # "发送至张伟的邮箱": someone's mailbox, whether or not the name was found
        if len(gap) <= _SEND_TO_GAP and "的" not in gap and not _GAP_BREAK.search(gap):
            return True
    domain = work[work.find("@", start, ctx.end) + 1 : ctx.end]
    return bool(_INSTITUTION_DOMAIN.search(domain)) and ctx.last_person() < 0


def _hotline_mobile(ctx: _Context, public_ends: list[int]) -> bool:
    """A mobile in a hotline's list: right after a fixed line of the same line already noted
    as an office's, nothing but a separator between, and no person on its line."""
    work, start = ctx.work, ctx.start
    if ctx.person_in_sentence() or ctx.rest_of_line_has_person():
        return False
    rest = _CLAUSE_REST.match(work, ctx.end)
    if rest is not None and _CJK.search(rest.group()):
        return False  # "13800008000（张主任）", "13800008000，王科长": someone's, perhaps
    # "0553-2595762 15212242863": nothing but a separator after the office's line. A mobile
    # right after the label alone ("监督电话：138…") may be the village head's own: kept.
    gap = _LIST_SEPARATOR.search(work, max(ctx.sentence, start - 8), start)
    return gap is not None and gap.start() < start and gap.start() in public_ends


def _hotline_label(ctx: _Context) -> int:
    """Where a hotline's label starts shortly before the number, with no other number or
    clause break between (-1: none). The scanning loop's labels read "热线电话" as 电话."""
    lo = max(ctx.sentence, ctx.start - _HOTLINE_WINDOW)
    labels = list(_HOTLINE_LABEL.finditer(ctx.work, lo, ctx.start))
    if not labels:
        return -1
    between = ctx.work[labels[-1].end() : ctx.start]
    if any(ch.isdigit() for ch in between) or _GAP_BREAK.search(between):
        return -1
    return labels[-1].start()


def mark(work: str, out: list[Candidate]) -> None:
    """Notes, in `out`, the fixed lines, mailboxes and mobiles that are an office's (see the
    module's docstring): their note becomes NOTE_PUBLIC_LINE or NOTE_PUBLIC_MAILBOX. A contact
    already carrying a note (a fixed line after 咨询电话 …) is left as it is."""
    for c in out:
        if (c[2] == LANDLINE or c[2] == EMAIL or c[2] == MOBILE) and not c[4]:
            break
    else:
        return
    out.sort()
    office_ends: list[int] = []  # contacts noted after an organisation: they vouch for the next
    public_ends: list[int] = []  # lines noted an office's, for a mobile in a hotline's list
    person_spans = [(c[0], c[1]) for c in out if c[2] == PERSON_NAME]
    for i, (start, end, kind, _confidence, note) in enumerate(out):
        if kind not in (LANDLINE, EMAIL, MOBILE):
            continue
        if note:
            # a line public by its label alone (咨询电话：…) vouches for no other contact: the
            # e-mail under it may be the editor's own; only a mobile in its list follows it
            if kind == LANDLINE:
                public_ends.append(end)
            continue
        ctx = _Context(work, start, end, person_spans)
        if kind == MOBILE:
            office = _hotline_mobile(ctx, public_ends)
        elif _after_organisation(ctx, office_ends):
            office_ends.append(end)
            office = True
        elif kind == LANDLINE:
            office = _office_landline(ctx)
        else:
            office = _office_mailbox(ctx)
        if office:
            out[i] = (
                start,
                end,
                kind,
                0.5,
                NOTE_PUBLIC_MAILBOX if kind == EMAIL else NOTE_PUBLIC_LINE,
            )
            if kind != EMAIL:
                public_ends.append(end)
