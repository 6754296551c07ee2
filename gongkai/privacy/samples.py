"""Synthetic identifiers for tests and benchmarks (all made up, check digits computed).

Plain Python. Every generator takes a `random.Random`, so a seed reproduces the same values.
"""

import random
from datetime import date, timedelta

from gongkai.privacy import checks, names

# Real county-level address codes (and the 港澳台 codes used in residence permits).
REGION_CODES = (
    "110101", "110105", "110108", "120101", "120104", "130102", "130104", "140105", "150102",
    "210102", "210202", "220102", "230102", "310101", "310104", "310115", "320102", "320583",
    "330102", "330106", "330203", "330302", "330402", "330502", "330602", "330702", "330802",
    "330902", "330903", "330921", "330922", "331002", "331102", "340102", "350102", "350203",
    "360102", "370102", "370202", "410102", "420106", "429004", "430102", "440103", "440305",
    "450102", "460105", "469001", "500103", "500229", "510104", "520102", "530102", "540102",
    "610113", "620102", "630102", "640104", "650102", "810000", "820000", "830000",
)  # fmt: skip
GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国文辉鹏飞玲婷雪梅红兰志宇浩然子涵欣怡"
    "晨思远嘉诚俊雨萱梓轩一鸣晓东海波丹凤佳琪颖慧琳晶瑶楠博宁健斌峰毅彬亮宏振永春秋燕萍云"
)
COMMON_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严戴孔"
COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "司徒", "夏侯", "令狐")
# Bank identification numbers with the card length they are issued with.
BANK_BINS = (
    ("622202", 19), ("622848", 19), ("621700", 19), ("622262", 19), ("621226", 19),
    ("621799", 19), ("601382", 19), ("623058", 19), ("621483", 16), ("622588", 16),
    ("436742", 16), ("625965", 16), ("518710", 16), ("356833", 16), ("622609", 16),
)  # fmt: skip
AREA_CODES = (
    ("010", 8), ("020", 8), ("021", 8), ("022", 8), ("023", 8), ("024", 8), ("025", 8),
    ("027", 8), ("028", 8), ("029", 8), ("0571", 8), ("0574", 8), ("0580", 7), ("0577", 8),
    ("0573", 8), ("0575", 8), ("0579", 8), ("0576", 8), ("0578", 7), ("0570", 7), ("0311", 8),
    ("0351", 7), ("0451", 8), ("0531", 8), ("0591", 8), ("0731", 8), ("0755", 8), ("0898", 8),
)  # fmt: skip
EMAIL_DOMAINS = (
    "163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "gmail.com", "outlook.com",
    "139.com", "yeah.net", "example.cn",
)  # fmt: skip
PINYIN = (
    "zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
    "ma", "zhu", "hu", "guo", "he", "lin", "luo", "zheng", "liang", "xie", "song", "tang",
    "san", "si", "wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "ming",
)  # fmt: skip


def birth_date(rng: random.Random, first: int = 1930, last: int = 2020) -> date:
    start = date(first, 1, 1)
    return start + timedelta(days=rng.randrange((date(last, 12, 31) - start).days))


def id18(rng: random.Random, *, valid_check: bool = True, region: str | None = None) -> str:
    """An 18-character ID number with a real region and birth date (check digit right or not)."""
    body = (
        (region or rng.choice(REGION_CODES))
        + birth_date(rng).strftime("%Y%m%d")
        + f"{rng.randrange(1000):03d}"
    )
    right = checks.id_check_char(body)
    if valid_check:
        return body + right
    return body + rng.choice([c for c in "0123456789X" if c != right])


def id15(rng: random.Random) -> str:
    region = rng.choice([r for r in REGION_CODES if not r.endswith("0000")])
    return region + birth_date(rng, 1930, 1999).strftime("%y%m%d") + f"{rng.randrange(1000):03d}"


def mobile_digits(rng: random.Random) -> str:
    return "1" + str(rng.randint(3, 9)) + "".join(str(rng.randrange(10)) for _ in range(9))


def mobile(rng: random.Random, style: str = "plain") -> str:
    """style: plain, hyphen, space, cc (+86 …), cc_hyphen (86-…)."""
    d = mobile_digits(rng)
    if style == "hyphen":
        return f"{d[:3]}-{d[3:7]}-{d[7:]}"
    if style == "space":
        return f"{d[:3]} {d[3:7]} {d[7:]}"
    if style == "cc":
        return "+86 " + d
    if style == "cc_hyphen":
        return "86-" + d
    return d


def bank_card(rng: random.Random, *, grouped: bool = False) -> str:
    bin_, length = rng.choice(BANK_BINS)
    body = bin_ + "".join(str(rng.randrange(10)) for _ in range(length - len(bin_) - 1))
    number = body + checks.luhn_check_digit(body)
    if grouped:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


def landline(rng: random.Random, style: str = "hyphen") -> str:
    """style: hyphen, paren, plain, ext."""
    area, length = rng.choice(AREA_CODES)
    local = str(rng.randint(2, 8)) + "".join(str(rng.randrange(10)) for _ in range(length - 1))
    if style == "paren":
        return f"（{area}）{local}"
    if style == "plain":
        return area + local
    if style == "ext":
        return f"{area}-{local}-{rng.randint(100, 899)}"
    return f"{area}-{local}"


def email(rng: random.Random) -> str:
    local = rng.choice(PINYIN) + rng.choice(("", ".", "_")) + rng.choice(PINYIN)
    if rng.random() < 0.4:
        local += str(rng.randint(1, 2020))
    if rng.random() < 0.15:
        local = str(rng.randint(10000, 3999999999))
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def person_name(rng: random.Random) -> str:
    """A made-up name: 5% with a compound surname, 30% of the rest with a one-character given name."""
    while True:
        if rng.random() < 0.05:
            given = "".join(rng.choices(GIVEN_NAME_CHARS, k=rng.randint(1, 2)))
            name = rng.choice(COMPOUND) + given
        else:
            given = "".join(rng.choices(GIVEN_NAME_CHARS, k=1 if rng.random() < 0.3 else 2))
            name = rng.choice(COMMON_SURNAMES) + given
        if names.plausible_name(name):
            return name


def org_code(rng: random.Random, *, letters: bool = False) -> str:
    """A 9-character 组织机构代码 (GB 11714 check character)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY" if letters else "0123456789"
    body = "".join(rng.choice(alphabet) for _ in range(8))
    return body + checks.org_code_check_char(body)


def credit_code(rng: random.Random, kind: str | None = None, *, letters: bool = False) -> str:
    """A 统一社会信用代码 (GB 32100): registering authority and type, region, org code, check."""
    kind = kind or rng.choice(("11", "12", "91", "91", "91", "52", "51", "31", "92", "93"))
    region = rng.choice([r for r in REGION_CODES if not r.endswith("0000")])
    body = kind + region + org_code(rng, letters=letters)
    return body + checks.credit_code_check_char(body)


# Real county codes ending in 19 or 20: a credit code built on one reads, as an ID, as
# region + a birth year 19xx/20xx (延庆, 蓟州, 奉贤, 南川, 璧山).
_COUNTIES_19_20 = ("110119", "120119", "310120", "500119", "500120")


def id_like_credit_code(rng: random.Random, today: date) -> str:
    """An all-digit 统一社会信用代码 whose 18 characters also read as region + birth date.

    Such a code differs from an ID number with a wrong check digit only by its two check
    characters (GB 32100 and GB 11714); the detector tells them apart that way.
    """
    while True:
        kind = rng.choice(("51", "52", "53", "31", "32", "33", "13"))
        birth = birth_date(rng, 1950, 2015).strftime("%y%m%d")
        body = kind + rng.choice(_COUNTIES_19_20) + birth + f"{rng.randrange(100):02d}"
        body += checks.org_code_check_char(body[8:16])
        code = body + checks.credit_code_check_char(body)
        if (
            code[:17].isdigit()
            and (code[-1].isdigit() or code[-1] == "X")
            and checks.region_ok(code[:6])
            and checks.birth_date_ok(code, today)
        ):
            return code
