"""China's administrative divisions, so that a place is not taken for a person.

Plain Python (no Django). "岳阳县", "福州市马尾区", "清水、武山、甘谷、张家川等县", "吕梁、晋中、
临汾": the short form of a prefecture's or a county's name reads like a surname and a given
name (岳阳, 马尾, 晋中), and jieba's dictionary even tags some of them as persons. A span is a
place when it is such a short form and either the rest of the division's name follows it
(岳阳 + 县) or an item next to it in an enumeration is a division too. A short form alone in
running text is left to the other evidence: many are also given names (高明, 安宁, 永康).

The names are the official ones of `divisions.txt` (county level and above).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_FILE = Path(__file__).with_name("divisions.txt")
# Longest first: 自治县 before 县, 特别行政区 before 区.
_SUFFIX = re.compile(
    "(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|矿区|新区|特区|省|市|县|区|旗|盟)$"
)
# The 56 peoples' names, as autonomous divisions' names carry them: 张家川回族自治县,
# 恩施土家族苗族自治州, 广西壮族自治区.
_PEOPLE_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_PEOPLES = re.compile("(?:(?:" + "|".join(sorted(_PEOPLE_NAMES, key=len, reverse=True)) + ")族)+$")
_ITEM_SEP = "、，,/ "


@lru_cache(maxsize=1)
def divisions() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """(every full name; short form -> what may follow it to make a full name)."""
    full: set[str] = set()
    rests: dict[str, set[str]] = {}
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        full.add(name)
        suffix = _SUFFIX.search(name)
        if suffix is None:
            continue
        short = name[: suffix.start()]
        if suffix.group().startswith("自治"):
            short = _PEOPLES.sub("", short) or short
        if len(short) >= 2:
            rests.setdefault(short, set()).add(name[len(short) :])
    return frozenset(full), {short: frozenset(rest) for short, rest in rests.items()}


def is_division(name: str) -> bool:
    """A division's full name or its short form."""
    full, short = divisions()
    return name in full or name in short


def place_at(text: str, start: int, end: int) -> bool:
    """The span is a division named in `text`: its short form followed by the rest of its
    name, or an item of an enumeration next to another division."""
    full, short = divisions()
    span = text[start:end]
    if span in full:
        return True
    rests = short.get(span)
    if rests is None:
        return False
    if any(text.startswith(rest, end) for rest in rests):
        return True
    if text[end : end + 1] in _DIVISION_SUFFIX:
        return True  # 张家川县 (for 张家川回族自治县), 大理市: the short form and a division's kind
    if span in PROVINCES or len(span) >= 3:
        # (吉林), 江西: a province's short form is not a given name; 石家庄, 张家川: no
        # labelled name of the development sets is a division's short form of three
        return True
    if text[max(0, start - 3) : start].endswith(PROVINCES):
        return True  # 浙江金华, 四川南充: a prefecture after its province
    return _neighbour_item(text, start, end)


_DIVISION_SUFFIX = frozenset("省市县区旗州盟")
# Provinces and the cities and regions at their level, by their short forms.
PROVINCES = tuple(
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
    "广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门".split()
)


def _neighbour_item(text: str, start: int, end: int) -> bool:
    if end < len(text) and text[end] in _ITEM_SEP:
        after = _item(text, end + 1, 1)
        if after and is_division(after):
            return True
    if start > 0 and text[start - 1] in _ITEM_SEP:
        before = _item(text, start - 1, -1)
        if before and is_division(before):
            return True
    return False


def _item(text: str, at: int, step: int) -> str:
    """The run of Han characters (up to six) from `at` forwards (step 1) or before `at`
    backwards (step -1), with a division's suffix taken off the end."""
    chars = []
    i = at if step == 1 else at - 1
    while 0 <= i < len(text) and len(chars) < 6 and "\u4e00" <= text[i] <= "\u9fff":
        chars.append(text[i])
        i += step
    item = "".join(chars if step == 1 else reversed(chars))
    if not item:
        return ""
    if step == 1:
        # "甘谷、张家川等县": the item ends where the text stops being a division
        for n in range(len(item), 1, -1):
            if is_division(item[:n]):
                return item[:n]
        return ""
    for n in range(len(item), 1, -1):
        if is_division(item[-n:]):
            return item[-n:]
    return ""


# Last characters of villages, rivers, roads and temples that given names hardly end with.
PLACE_LAST = frozenset(
    "庄楼寨屯营村河湖路街巷桥港湾沟岭坡坝塘圩集店铺堡洼峪垸埠滩镇乡县区市庙寺"
    "莊樓營灣溝嶺壩鋪窪鎮鄉縣區廟"
)


def end_like_places(items: list[str]) -> bool:
    """Whether most items of an enumeration end like places ("马庄、张楼、孙庄、魏楼",
    "秦口河、傅家河、胡营河", "斜坡村、李澗村、大王村"): a roster's names do not share such endings."""
    ending = sum(1 for item in items if item and item[-1] in PLACE_LAST)
    return ending >= 2 and ending * 2 >= len(items)
