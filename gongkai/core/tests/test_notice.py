"""Reading the State Council's holiday notice (gongkai.core.notice).

The three published notices in notices/ are read exactly as the `chinesecalendar` package has
their years; small invented notices cover the forms a notice may take and the mistakes the reader
must refuse, naming the line.
"""

import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.notice import NoticeError, read_notice, text_from_html
from gongkai.core.workdays import package_schedules

D = date.fromisoformat
NOTICES = Path(__file__).parent / "notices"


def published(year: int) -> str:
    """The stored notice without its first line, the comment naming its source."""
    lines = (NOTICES / f"{year}.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# source: http")
    return "\n".join(lines[1:])


def days(first: str, last: str) -> list[date]:
    start, end = D(first), D(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def dates(pairs) -> list[date]:
    return [day for day, _name in pairs]


def refusal(text: str) -> str:
    with pytest.raises(NoticeError) as caught:
        read_notice(text)
    return str(caught.value)


def title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知\n\n各省、自治区、直辖市人民政府：\n"


# --- the published notices ---------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_published_notice_reads_as_the_package_has_it(year):
    notice = read_notice(published(year))
    assert notice.year == year
    holidays, workdays = notice.to_schedule()
    package_holidays, package_workdays = package_schedules()[year]
    assert dates(holidays) == dates(package_holidays)
    assert dates(workdays) == dates(package_workdays)
    assert notice.other_years() == []


def test_2026_in_full():
    notice = read_notice(published(2026))
    assert notice.to_json() == {
        "year": 2026,
        "holidays": [
            d.isoformat()
            for d in [
                *days("2026-01-01", "2026-01-03"),
                *days("2026-02-15", "2026-02-23"),
                *days("2026-04-04", "2026-04-06"),
                *days("2026-05-01", "2026-05-05"),
                *days("2026-06-19", "2026-06-21"),
                *days("2026-09-25", "2026-09-27"),
                *days("2026-10-01", "2026-10-07"),
            ]
        ],
        "workdays": [
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
    }
    names = dict(notice.holidays)
    assert names[D("2026-01-03")] == "元旦"
    assert names[D("2026-02-21")] == "春节"  # a Saturday inside the range is listed too
    assert names[D("2026-10-07")] == "国庆节"
    assert dict(notice.workdays)[D("2026-09-20")] == "国庆节"


def test_2024_title_over_two_lines_and_a_bracketed_eve_that_is_no_holiday():
    # 2024's title is split after "2024年"; "安排职工在除夕（2月9日）休息" is advice, not a day off
    notice = read_notice(published(2024))
    assert notice.year == 2024
    assert D("2024-02-09") not in dates(notice.holidays)
    assert D("2024-02-09") not in dates(notice.workdays)


def test_2025_combined_holiday_keeps_both_names():
    notice = read_notice(published(2025))
    assert dict(notice.holidays)[D("2025-10-08")] == "国庆节、中秋节"
    assert dict(notice.holidays)[D("2025-01-01")] == "元旦"


FULL_WIDTH = str.maketrans(
    {":": "：", ",": "，", "(": "（", ")": "）", ";": "；", " ": "\u3000"}
    | {str(i): chr(0xFF10 + i) for i in range(10)}
)


def test_full_width_punctuation_digits_and_spaces_read_alike():
    text = published(2026)
    assert read_notice(text.translate(FULL_WIDTH)) == read_notice(text)


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_a_notice_run_together_on_one_line(year):
    text = published(year)
    assert read_notice(text.replace("\n", "")) == read_notice(text)


def test_a_line_wrapped_inside_a_sentence_is_joined():
    text = published(2024).replace("2月4日(星期日)、", "2月4日(星期日)、\n")
    assert read_notice(text) == read_notice(published(2024))


# --- forms a notice may take -------------------------------------------------------------


def test_single_days():
    notice = read_notice(
        title(2025)
        + "一、元旦：1月1日（周三）放假1天，不调休。\n"
        + "三、清明节：4月4日（周五）放假，与周末连休。\n"
        + "五、端午节：6月2日放假，共1天。\n"
    )
    assert notice.year == 2025
    assert notice.holidays == [
        (D("2025-01-01"), "元旦"),
        (D("2025-04-04"), "清明节"),
        (D("2025-06-02"), "端午节"),
    ]
    assert notice.workdays == []


def test_range_across_months_with_lunar_notes():
    notice = read_notice(
        title(2025) + "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，"
        "共8天。1月26日（周日）、2月8日（周六）上班。"
    )
    assert dates(notice.holidays) == days("2025-01-28", "2025-02-04")
    assert dates(notice.workdays) == [D("2025-01-26"), D("2025-02-08")]
    holidays, workdays = notice.to_schedule()
    assert dates(holidays) == [
        D("2025-01-28"),
        D("2025-01-29"),
        D("2025-01-30"),
        D("2025-01-31"),
        D("2025-02-03"),
        D("2025-02-04"),
    ]
    assert dates(workdays) == [D("2025-01-26"), D("2025-02-08")]


def test_combined_holidays_on_one_line():
    notice = read_notice(
        title(2025) + "六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。"
        "9月28日（周日）、10月11日（周六）上班。"
    )
    assert notice.holidays == [(day, "国庆节、中秋节") for day in days("2025-10-01", "2025-10-08")]
    assert notice.workdays == [
        (D("2025-09-28"), "国庆节、中秋节"),
        (D("2025-10-11"), "国庆节、中秋节"),
    ]


def test_workday_in_the_previous_december():
    # 2027 is invented: 2026-12-31 is a Thursday, 2026-12-27 a Sunday
    notice = read_notice(
        title(2027)
        + "一、元旦：12月31日（周四）至1月2日（周六）放假调休，共3天。12月27日（周日）上班。\n"
        "二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。\n"
    )
    assert notice.year == 2027
    assert dates(notice.holidays)[:3] == [D("2026-12-31"), D("2027-01-01"), D("2027-01-02")]
    assert dates(notice.workdays) == [D("2026-12-27"), D("2027-02-20")]
    assert notice.other_years() == [2026]
    assert notice.schedules_by_year()[2026] == (
        [(D("2026-12-31"), "元旦")],
        [(D("2026-12-27"), "元旦")],
    )
    holidays, workdays = notice.to_schedule()
    assert D("2026-12-31") not in dates(holidays)  # the calendar keeps it in 2026
    assert dates(workdays) == [D("2027-02-20")]
    assert notice.to_json()["workdays"] == ["2026-12-27", "2027-02-20"]


def test_explicit_years_as_the_2019_notice_gives_them():
    # 国办发明电〔2018〕15号: the package holds these two days in 2018
    notice = read_notice(
        "国务院办公厅关于2019年部分节假日安排的通知\n"
        "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n"
    )
    package_2018 = package_schedules()[2018]
    assert (D("2018-12-31"), "元旦") in package_2018[0]
    assert (D("2018-12-29"), "元旦") in package_2018[1]
    assert notice.schedules_by_year()[2018] == (
        [(D("2018-12-31"), "元旦")],
        [(D("2018-12-29"), "元旦")],
    )
    assert dates(notice.to_schedule()[0]) == [D("2019-01-01")]


def test_html_input():
    body = "".join(f"<p>{line}</p>" for line in published(2026).splitlines() if line.strip())
    page = (
        "<!DOCTYPE html><html><head><title>通知</title>"
        "<script>var s = '八、假日：12月1日至12月9日放假。';</script><style>p{}</style></head>"
        f"<body><div class='nav'>首页 &gt; 国内</div>{body}</body></html>"
    )
    page = page.replace("元旦:", "元旦&#65306;").replace("1月4日", "1月<b>4</b>日")
    assert read_notice(page) == read_notice(published(2026))


def test_html_entities_and_tags_are_only_text():
    assert text_from_html("<p>a&amp;b<br>c</p><script>alert(1)</script>") == "\na&b\nc\n"


def test_chinese_count_and_words_around_the_dates():
    notice = read_notice(
        title(2026) + "三、清明节：4月4日（星期六）至6日（星期一）放假，共三天。\n"
    )
    assert dates(notice.holidays) == days("2026-04-04", "2026-04-06")


def test_preamble_and_closing_paragraphs_are_not_read():
    notice = read_notice(
        title(2025) + "经党中央、国务院批准，自2025年1月1日起，全体公民放假的假日增加2天。\n"
        "一、元旦：1月1日（周三）放假1天，不调休。\n"
        "节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。\n国务院办公厅\n2024年11月12日\n"
    )
    assert notice.holidays == [(D("2025-01-01"), "元旦")]


# --- refusals, each naming its line ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("二、春节：放假安排另行通知。", ""),
        ("二、春节：2月15日（周一）至23日（周一）放假调休，共9天。", "2026-02-15"),
        ("二、春节：2月23日至2月15日放假调休。", "2026-02-15"),
        ("二、春节：2月15日至23日放假调休，共8天。", "9"),
        ("二、春节：2月15日至30日放假调休。", "2月30日"),
        ("二、春节：2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）。", "2月14日"),
        ("二、春节：2月15日至23日放假调休，共9天。2月16日（周一）上班。", "2026-02-16"),
        ("二、春节：2月15日至23日放假调休，共9天。2月14日至15日上班。", ""),
        ("二、春节：2月15日、16日放假。", ""),
        ("二、春节：15日至23日放假。", "15日"),
        ("二、春节：2027年2月15日放假。", "2027-02-15"),
        ("二、春节：1月1日至3日放假，共3天。", "2026-01-01"),  # named twice
    ],
    ids=[
        "no-date",
        "weekday-contradicts",
        "reversed-range",
        "count-mismatch",
        "impossible-date",
        "dates-without-meaning",
        "weekday-workday",
        "workday-range",
        "two-single-days",
        "no-month",
        "another-year",
        "duplicate",
    ],
)
def test_a_malformed_line_is_refused_naming_it(line, needle):
    text = (
        title(2026)
        + "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n"
        + line
    )
    message = refusal(text)
    quoted = unicodedata.normalize("NFKC", line)[:20]  # as read: full-width forms folded
    assert quoted in message  # the line is quoted
    assert "5" in message.split(quoted)[0]  # with its number (the 5th line)
    assert needle in message
    assert "1月1日（周四）至3日" not in message  # the good line is not blamed


def test_every_bad_line_is_reported_at_once():
    message = refusal(
        title(2026) + "一、元旦：1月1日（周五）放假。\n二、春节：2月23日至2月15日放假调休。\n"
        "三、清明节：4月4日（周六）至6日（周一）放假，共3天。\n"
    )
    assert "一、元旦" in message and "二、春节" in message and "三、清明节" not in message
    assert len(message.splitlines()) == 2


def test_weekday_contradiction_names_both_days():
    message = refusal(title(2026) + "一、元旦：1月1日（周五）放假。")
    assert "2026-01-01" in message and "周五" in message


def test_missing_year_is_refused():
    message = refusal("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。")
    assert "YYYY" in message


def test_text_without_holiday_lines_is_refused():
    with pytest.raises(NoticeError):
        read_notice(title(2026) + "节假日期间，各地区、各部门要妥善安排好值班工作。")


def test_notice_error_is_a_validation_error():
    with pytest.raises(ValidationError):
        read_notice("")
