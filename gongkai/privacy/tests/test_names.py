"""Personal names after labels, in lists and rosters, in salutations and before 同志/先生/女士."""

import pytest

from gongkai.privacy import scan
from gongkai.privacy.names import plausible_name, surname_length


def names_in(text: str) -> list[str]:
    return [f.text for f in scan(text) if f.type == "person_name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("申请人：张三", ["张三"]),
        ("申请人: 李小明，", ["李小明"]),
        ("姓名 王五\n", ["王五"]),
        ("联系人：欧阳娜娜 电话：0580-6012345", ["欧阳娜娜"]),
        ("户主：司马光", ["司马光"]),
        ("当事人：陈静，女，1985年出生", ["陈静"]),
        ("法定代表人：黄建国。", ["黄建国"]),
        ("负责人：周涛；", ["周涛"]),
        ("经办人：吴敏", ["吴敏"]),
        ("被处罚人：郑强（身份证号：略）", ["郑强"]),
        ("委托人：孙丽", ["孙丽"]),
        ("收件人：马超 13800008000", ["马超"]),
        ("户主姓名：刘洋", ["刘洋"]),
        ("申请人：张三于2026年1月5日提出申请", ["张三"]),
        ("负责人：王小明电话：0580-3012345", ["王小明"]),
        ("联系人：李四先生", ["李四"]),
        ("申请人：张三、李四", ["张三", "李四"]),
        ("受送达人：诸葛亮", ["诸葛亮"]),
        ("收款人：白博志；收款账号：6214839957903289", ["白博志"]),
        ("开户名：沈琳", ["沈琳"]),
    ],
)
def test_names_after_labels(text, expected):
    assert names_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "联系人：办公室",
        "联系人：党政办",
        "申请人：某某公司",
        "申请人：舟山市普陀海洋渔业有限公司",
        "申请人：某某有限公司",
        "被申请人：舟山市普陀区人民政府",
        "法定代表人：普陀区自然资源和规划分局",
        "负责人：王局长",
        "联系人：张主任",
        "联系人：张女士",
        "当事人：李某",
        "当事人：陈某某",
        "当事人：张××",
        "申请人：本人",
        "户主：同上",
        "负责人：",
        "申请人姓名：（必填）",
        "联系人：高",
        "收件人：单位",
    ],
)
def test_no_names_where_there_are_none(text):
    assert names_in(text) == []


def test_list_of_names():
    text = "拟录用人员名单：张三、李四、欧阳娜娜"
    assert names_in(text) == ["张三", "李四", "欧阳娜娜"]
    findings = [f for f in scan(text) if f.type == "person_name"]
    assert all(text[f.start : f.end] == f.text for f in findings)


@pytest.mark.parametrize(
    "separator",
    ["、", "，", ",", " ", "　", "  ", "\n"],
)
def test_list_separators(separator):
    assert names_in(f"获奖名单：王芳{separator}李强{separator}赵敏") == ["王芳", "李强", "赵敏"]


def test_list_stops_at_the_end_of_the_sentence():
    text = "公示名单如下：张三、李四。公示期间如有异议，请向王局长反映。"
    assert names_in(text) == ["张三", "李四"]


def test_list_with_details_in_parentheses():
    assert names_in("拟聘用人员名单：张三（男）、李四（女，本科）、王五") == [
        "张三",
        "李四",
        "王五",
    ]


def test_roster_one_name_per_row():
    text = (
        "补贴发放名单如下：\n"
        "1. 王小明，身份证号码：330902198001011233，补贴金额：1200元\n"
        "2. 李四 女 1992年\n"
        "（3）赵六、钱七\n"
        "\n"
        "公示时间：2026年1月5日至1月12日。"
    )
    assert names_in(text) == ["王小明", "李四", "赵六", "钱七"]


def test_roster_ends_at_a_row_that_is_not_a_name():
    text = "名单：\n张三\n李四\n公示时间：2026年1月5日\n王五"
    assert names_in(text) == ["张三", "李四"]


def test_salutation_of_a_reply_letter():
    text = "张三：\n    您于2026年1月5日提出的政府信息公开申请收悉。\n尊敬的欧阳娜娜女士：\n"
    assert names_in(text) == ["张三", "欧阳娜娜"]


@pytest.mark.parametrize("text", ["附件：\n", "说明：\n", "申请人：\n", "各乡镇（街道）：\n"])
def test_headings_are_not_salutations(text):
    assert names_in(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经研究，同意吴健霞同志任副主任。", ["吴健霞"]),
        ("向李四同志学习", ["李四"]),
        ("王小明同志", ["王小明"]),
        ("欧阳娜娜同志", ["欧阳娜娜"]),
        ("张三同志、李四同志", ["张三", "李四"]),
        ("广大党员同志", []),
        ("全体同志", []),
        ("陈某某女士", []),
    ],
)
def test_names_before_honorifics(text, expected):
    assert names_in(text) == expected


def test_surnames():
    assert surname_length("欧阳娜娜") == 2
    assert surname_length("欧阳") == 1  # 欧 + 阳: a two-character name
    assert surname_length("张三") == 1
    assert surname_length("办公室") == 0


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("张三", True),
        ("欧阳娜娜", True),
        ("欧阳娜娜娜", False),
        ("张", False),
        ("张小小明", False),  # a single surname takes one or two given-name characters
        ("张一二三四", False),
        ("王局长", False),
        ("党政办", False),
        ("某某", False),
    ],
)
def test_plausible_name(name, ok):
    assert plausible_name(name) is ok


# --- names without a colon ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("申请人史超，身份证号码330902198001011233。", ["史超"]),
        ("补助资金已打入户主邱兰的银行卡。", ["邱兰"]),
        ("当事人郑飞涛，男，身份证号：330902198001011233。", ["郑飞涛"]),
        ("请联系经办人易伟，电话13800008000。", ["易伟"]),
        ("经审核，任秀（公民身份号码：330902198001011233）符合条件。", ["任秀"]),
        ("开户人陈伟海。", ["陈伟海"]),
        ("法定代表人黄建国于2026年1月5日到场。", ["黄建国"]),
        ("收款人为周丽娟。", ["周丽娟"]),
        ("本报记者 孟晓燕 通讯员 钱立新", ["孟晓燕", "钱立新"]),
    ],
)
def test_role_words_without_a_colon(text, expected):
    assert names_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经查，侯振宇，男，1985年3月出生，汉族，住舟山市普陀区。", ["侯振宇"]),
        ("公示对象：（1）蒋秀英（女），68岁，六横镇人。", ["蒋秀英"]),
        ("熊志刚，45岁，无业。", ["熊志刚"]),
        ("经核实，邓丽萍 330902198001011233 符合条件。", ["邓丽萍"]),
        ("滕建平，联系电话：13800008000。", ["滕建平"]),
        ("会议同意江海涛拟任六横镇副镇长。", ["江海涛"]),
    ],
)
def test_names_followed_by_their_evidence(text, expected):
    assert names_in(text) == expected


def test_a_table_column_headed_by_a_name_word():
    text = (
        "序号\t姓名\t性别\t身份证号\t救助金额（元）\n"
        "1\t韩秀兰\t女\t330902198001011233\t1200\n"
        "2\t欧阳志远\t男\t\t800\n"
        "3\t王*国\t男\t\t600\n"
        "合计\t\t\t\t2600\n"
        "以上人员公示7天。"
    )
    assert names_in(text) == ["韩秀兰", "欧阳志远"]


def test_a_table_column_under_another_header_word_and_a_form_layout():
    roster = "户主姓名\t家庭人口\t保障金额\n贺春生\t3\t1500\n伍桂芝\t1\t700\n"
    assert names_in(roster) == ["贺春生", "伍桂芝"]
    form = "姓名\t滕文静\t性别\t女\n住址\t舟山市普陀区\t民族\t汉族\n"
    assert names_in(form) == ["滕文静"]


def test_a_table_ends_at_a_paragraph():
    text = "姓名\t金额\n魏宏伟\t200\n以下为说明：\n马路\t300\n"
    assert names_in(text) == ["魏宏伟"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("获奖人员共3人：张伟、李娜、王芳。", ["张伟", "李娜", "王芳"]),
        ("授予陶建华、秦丽萍、孔德明同志“优秀调解员”称号。", ["陶建华", "秦丽萍", "孔德明"]),
        ("镇党委副书记、镇长王玉飞主持会议。", ["王玉飞"]),
        ("会上，孔宪臣副厅长强调，要压实责任。", ["孔宪臣"]),
        ("决定许莹莹等172人为县教坛新秀。", ["许莹莹"]),
        ("现确定王鹂等示范教师303名。", ["王鹂"]),
        ("任命秦远凤为规划分局科员；免去陶华的副科长职务。", ["秦远凤", "陶华"]),
        ("通讯员：卧龙区见义勇为事业促进会  刘嘉辉", ["刘嘉辉"]),
        ("当事人杜*俊受蔺岗（另案处理）邀约。", ["蔺岗"]),
        ("教练中有两名泉州人，分别是陈琪林和李志锋。", ["陈琪林", "李志锋"]),
        ("同在8月2日，孙群出任海陵区区委副书记。", ["孙群"]),
        ("慰问组到来之后，段棚说：“大妈，我们来看您。”", ["段棚"]),
        ("推荐人选：\n庄珠凤 宋 睿 金秀芳\n", ["庄珠凤", "宋 睿", "金秀芳"]),
        ("圆了半辈子的梦想。（汪孝菲 郑万富）", ["汪孝菲", "郑万富"]),
    ],
)
def test_lists_enumerations_titles_and_bylines(text, expected):
    assert names_in(text) == expected


def test_a_name_found_once_is_found_everywhere_in_the_text():
    text = "大学生村官高君宇主编《新板报》。\n高君宇说，办报是为了村民。"
    findings = [f for f in scan(text) if f.type == "person_name"]
    assert [f.text for f in findings] == ["高君宇", "高君宇"]
    assert findings[1].start == text.rindex("高君宇")


@pytest.mark.parametrize(
    "text",
    [
        "申请人应当在规定时间内提交材料。",
        "当事人对处罚决定不服的，可以申请行政复议。",
        "户主要求变更登记信息。",
        "申请人（单位）：舟山市普陀海洋渔业有限公司",
        "王家村村民委员会位于张江路，高新区李宁体育用品店。",
        "负责人王局长，联系人张主任。",
        "当事人陈述申辩的权利。",
        "户主关系：本人",
        "负责人高度重视，居民储蓄稳定增长。",
        "当事人王某，男，1980年出生。",
        "王*国，男，身份证号：略。",
        "张××（女），68岁。",
        "申请人某某，联系电话见附件。",
        "公示如下：\n关于做好2026年度工作的通知\n",
        "2026年3月5日，六横镇召开会议。",
        "祝福老人们健康长寿。",
        "党员和群众代表参加会议。",
        "来源：楚天都市报",
        "现居住地：白沙岛。办理地点：六横镇便民服务中心",
        "有关负责人表示，将加快进度。游客说风景很美。司机说路不好走。应该说，成绩是显著的。",
        "全体党员分别是村里的骨干，包括老党员和新党员。",
        "推荐王家村为示范村，授予六横镇“文明乡镇”称号，选举产生新一届委员会。",
        "通过横幅、流动宣传车巡回广播等方式，提醒群众严禁野外用火。",
        "姓名\t性别\n合计\t\n",
    ],
)
def test_traps_that_are_not_names(text):
    assert names_in(text) == []


# --- names the system already knows ---------------------------------------------------------------


def test_known_names_are_found_verbatim_anywhere():
    text = "今天林国庆到村里走访，林国庆的家人也来了。林国庆路改造工程开工。"
    findings = scan(text, known_names=["林国庆", "张*明", "某某"])
    assert [(f.text, f.start) for f in findings] == [("林国庆", 2), ("林国庆", 11)]
    # without the records, the scorer of names in running text (name_scorer) takes the
    # person, not the road named after him
    assert [(f.text, f.start) for f in scan(text)] == [("林国庆", 2), ("林国庆", 11)]


def test_known_names_matcher_prefers_the_longest_name():
    from gongkai.privacy.names import KnownNames

    known = KnownNames(["司马", "司马光明", "王五", "Alice"])
    assert [m[:2] for m in known.find("司马光明与王五")] == [(0, 4), (5, 7)]
    assert not KnownNames(["Alice", "", "张*"])


def test_a_table_read_from_a_pdf_with_blanks_between_cells():
    text = (
        "序号 户主姓名 家庭人口 保障金额\n"
        "1 韩秀兰 3 1500\n"
        "2 欧阳志远 1 700\n"
        "3 李家村 2 800\n"
        "10 高度 重视\n"
    )
    findings = [f for f in scan(text) if f.type == "person_name"]
    assert [f.text for f in findings] == ["韩秀兰", "欧阳志远"]
    assert all(text[f.start : f.end] == f.text for f in findings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # rarer surnames of the 百家姓 and modern lists
        ("市人大代表奕永庆表示关注。", ["奕永庆"]),
        ("记者琚振华摄", ["琚振华"]),
        ("执法中队浮趁新队长打开微信。", ["浮趁新"]),
        ("联系人：香杰新", ["香杰新"]),
        # given names of the 1950s–70s with characters that are otherwise function words
        ("县委组织部副部长尤有光出席了大会。", ["尤有光"]),
        ("运动员王向党、李卫东、张跃进参加了比赛。", ["王向党", "李卫东", "张跃进"]),
    ],
)
def test_rare_surnames_and_era_given_names(text, expected):
    assert names_in(text) == expected
    # a rare surname that is mostly a word counts only after a label
    assert names_in("产品包括香港、香菇、香烟、香水等。") == []
