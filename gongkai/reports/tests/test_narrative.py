"""The narrative: a draft written from the records, {{cell:…}} tokens bound to the table cells
(shown, exported and published with the cells' figures), lint of unknown tokens, and the
services and staff page that edit it."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.applications.models import Appeal, Fee
from gongkai.catalogue.taxonomy import ChannelKind
from gongkai.catalogue.tests.factories import ChannelFactory, ColumnFactory, PublicationFactory
from gongkai.core.models import AuditEvent, Role
from gongkai.reports import exports, services
from gongkai.reports.compute import compute_report
from gongkai.reports.formats import get
from gongkai.reports.importers import import_file
from gongkai.reports.lint import lint_report
from gongkai.reports.narrative import (
    UNKNOWN,
    draft_narrative,
    render_narrative,
    token,
    unknown_tokens,
)
from gongkai.reports.tests.records import make_application

pytestmark = pytest.mark.django_db
NOW = "2026-11-26 10:00 +0800"
YEAR = 2025
NEW = "一、本年新收政府信息公开申请数量|总计"
TITLES = [section.title for section in get("2021").sections]
NARRATIVE_RULES = {"narrative_sum", "narrative_table", "narrative_token"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def people(agency_tree, make_member):
    return {
        "officer": make_member(agency_tree["town"], Role.OFFICER),
        "head": make_member(agency_tree["town"], Role.OFFICE_HEAD),
        "editor": make_member(agency_tree["town"], Role.EDITOR),
        "other": make_member(agency_tree["other_town"], Role.OFFICER),
    }


@pytest.fixture
def records(town):
    """A small year: 3 items in two columns on two channels; 3 applications received (one
    answered late, one still open), 1 carried over from 2024; a fee paid; a 行政复议 and a 行政诉讼."""
    news = ColumnFactory(agency=town, name="工作动态", position=1)
    policy = ColumnFactory(agency=town, name="政策文件", position=2)
    website = ChannelFactory(agency=town, kind=ChannelKind.WEBSITE, name="六横镇门户网站")
    weibo = ChannelFactory(agency=town, kind=ChannelKind.WEIBO, name="六横发布")
    first = PublicationFactory(item__column=news, channel=website, published_on=date(YEAR, 2, 1))
    PublicationFactory(item=first.item, channel=weibo, published_on=date(YEAR, 2, 2))
    PublicationFactory(item__column=news, channel=website, published_on=date(YEAR, 5, 1))
    PublicationFactory(item__column=policy, channel=website, published_on=date(YEAR, 6, 1))
    PublicationFactory(  # the year before: not counted
        item__column=policy, channel=website, published_on=date(2024, 6, 1)
    )
    carried = make_application(
        town,
        received=date(2024, 12, 20),
        concluded=date(YEAR, 1, 10),
        due=date(YEAR, 1, 15),
        outcome="disclosed",
    )
    on_time = make_application(
        town,
        received=date(YEAR, 3, 1),
        concluded=date(YEAR, 3, 10),
        due=date(YEAR, 3, 21),
        outcome="disclosed",
    )
    make_application(
        town,
        received=date(YEAR, 4, 1),
        concluded=date(YEAR, 5, 20),
        due=date(YEAR, 4, 22),
        outcome="partial",
    )
    make_application(town, received=date(YEAR, 12, 20), concluded=None, due=date(2026, 1, 16))
    Fee.objects.create(
        application=on_time,
        schedule="per_page",
        count=130,
        amount=100,
        notified_on=date(YEAR, 3, 5),
        pay_by=date(YEAR, 3, 20),
        paid_on=date(YEAR, 3, 8),
    )
    Appeal.objects.create(
        application=carried,
        kind="review",
        filed_on=date(YEAR, 2, 1),
        body="普陀区人民政府",
        result="maintained",
        decided_on=date(YEAR, 4, 1),
    )
    Appeal.objects.create(
        application=on_time,
        kind="litigation_direct",
        filed_on=date(YEAR, 9, 1),
        body="舟山市普陀区人民法院",
        result="pending",
    )
    return town


def _narrative_findings(fmt: str, narrative: dict, cells: dict):
    report = {"format": fmt, "year": YEAR, "cells": cells, "narrative": narrative}
    return [f for f in lint_report(report) if f.rule in NARRATIVE_RULES]


def test_the_draft_tells_the_year_from_the_records(records):
    cells = compute_report(records, YEAR, "2021").cells
    draft = draft_narrative(records, YEAR, "2021", cells)
    assert list(draft) == TITLES
    assert token(NEW) in draft["一、总体情况"]  # bound, not copied
    assert not unknown_tokens(draft, cells)
    text = render_narrative(draft, cells)
    assert "全年主动公开政府信息3条" in text["一、总体情况"]
    assert "新收政府信息公开申请3件" in text["一、总体情况"]
    # one reply was late: the text does not claim every one was in time
    assert "程序办理。" in text["一、总体情况"] and "期限办理" not in text["一、总体情况"]
    active = text["二、主动公开政府信息情况"]
    assert "主动公开政府信息共3条，其中工作动态2条，政策文件1条。" in active
    assert "各渠道共发布4条，其中政府网站3条，政务微博1条。" in active
    assert "本年制发件数：规章0件、行政规范性文件0件。" in active
    applications = text["三、收到和处理政府信息公开申请情况"]
    assert "新收政府信息公开申请3件，上年结转政府信息公开申请1件。" in applications
    assert "本年度办结3件，结转下年度继续办理1件。" in applications
    assert "予以公开2件，部分公开1件" in applications
    assert "在法定期限内答复2件，按期答复率66%。" in applications
    appeals = text["四、政府信息公开行政复议、行政诉讼情况"]
    assert "被申请行政复议1件，其中结果维持1件，结果纠正0件，其他结果0件，尚未审结0件" in appeals
    assert "未经复议直接起诉1件，其中结果维持0件，结果纠正0件，其他结果0件，尚未审结1件" in appeals
    assert "【请填写" in text["五、存在的主要问题及改进情况"]
    assert "收取信息处理费100元" in text["六、其他需要报告的事项"]
    # the draft passes its own checks: sums add up, figures agree with the tables
    assert _narrative_findings("2021", draft, cells) == []


def test_the_draft_of_a_quiet_year_and_of_the_other_formats(town):
    cells = compute_report(town, YEAR, "2021").cells
    text = render_narrative(draft_narrative(town, YEAR, "2021", cells), cells)
    assert "本年度未收取信息处理费。" in text["六、其他需要报告的事项"]
    assert "均按照条例规定的程序和期限办理。" in text["一、总体情况"]
    assert "本年度未通过政府信息公开平台主动公开政府信息。" in text["二、主动公开政府信息情况"]
    assert (
        "被申请行政复议0件；被提起行政诉讼的，未经复议直接起诉0件，复议后起诉0件。"
        in text["四、政府信息公开行政复议、行政诉讼情况"]
    )
    cells_2019 = compute_report(town, 2020, "2019").cells
    draft_2019 = draft_narrative(town, 2020, "2019", cells_2019)
    assert list(draft_2019) == [s.title for s in get("2019").sections]
    assert not unknown_tokens(draft_2019, cells_2019)
    assert "规范性文件" in render_narrative(draft_2019, cells_2019)["二、主动公开政府信息情况"]
    cells_old = compute_report(town, 2018, "pre2019").cells
    draft_old = draft_narrative(town, 2018, "pre2019", cells_old)
    assert list(draft_old) == [s.title for s in get("pre2019").sections]
    assert not unknown_tokens(draft_old, cells_old)
    text_old = render_narrative(draft_old, cells_old)
    assert "收到政府信息公开申请0件" in text_old["三、依申请公开情况"]
    assert text_old["七、依申请公开信息收取的费用"] == "本年度未收取依申请公开信息的费用。"
    assert _narrative_findings("pre2019", draft_old, cells_old) == []


def test_the_pre2019_draft_of_appeals_leaves_out_the_undecided(town):
    fmt = get("pre2019")
    cells = dict.fromkeys(fmt.cell_keys(), 0)
    cells["四、因政府信息公开引起的行政复议数量|统计数"] = 3
    cells[fmt.cell_key("四（一）", "value")] = 2
    text = render_narrative(draft_narrative(town, 2018, fmt, cells), cells)
    appeals = text["四、因政府信息公开引起的行政复议数量"]
    assert "行政复议3件，已审结的维持具体行政行为2件" in appeals and "其余尚未审结" in appeals
    assert _narrative_findings("pre2019", draft_narrative(town, 2018, fmt, cells), cells) == []
    cells[fmt.cell_key("四（二）", "value")] = 1
    text = render_narrative(draft_narrative(town, 2018, fmt, cells), cells)
    assert (
        "行政复议3件，其中维持具体行政行为2件，被依法纠错1件，其他情形0件。"
        in (text["四、因政府信息公开引起的行政复议数量"])
    )


def test_the_text_follows_a_data_edit(records, people):
    report = services.report_start(actor=people["officer"], agency=records, year=YEAR, fmt="2021")
    services.report_narrative_draft(actor=people["officer"], report=report)
    report.refresh_from_db()
    doc = exports.from_computed(compute_report(records, YEAR, "2021"), report.narrative)
    assert "新收政府信息公开申请3件" in doc.narrative["一、总体情况"]
    make_application(records, received=date(YEAR, 7, 1), concluded=None, due=date(YEAR, 7, 22))
    doc = exports.from_computed(compute_report(records, YEAR, "2021"), report.narrative)
    assert "新收政府信息公开申请4件" in doc.narrative["一、总体情况"]
    assert "{{cell:" not in "".join(doc.narrative.values())


def test_unknown_tokens_show_and_are_flagged():
    cells = dict.fromkeys(get("2021").cell_keys(), 0)
    narrative = {"一、总体情况": f"收到申请{token(NEW)}件，办结{token('不存在|总计')}件。"}
    assert render_narrative(narrative, cells) == {"一、总体情况": f"收到申请0件，办结{UNKNOWN}件。"}
    findings = _narrative_findings("2021", narrative, cells)
    assert [(f.rule, f.severity, f.location) for f in findings] == [
        ("narrative_token", "error", "一、总体情况")
    ]
    assert "不存在|总计" in findings[0].message
    # a known token is checked as the figure it shows
    assert _narrative_findings("2021", {"一、总体情况": f"收到申请{token(NEW)}件"}, cells) == []


def test_set_and_draft_need_an_editor_of_a_draft_and_are_audited(records, people):
    report = services.report_start(actor=people["officer"], agency=records, year=YEAR, fmt="2021")
    for who in ("editor", "other"):
        with pytest.raises(PermissionDenied):
            services.report_narrative_set(
                actor=people[who], report=report, narrative={"一、总体情况": "x"}
            )
        with pytest.raises(PermissionDenied):
            services.report_narrative_draft(actor=people[who], report=report)
    with pytest.raises(ValidationError):
        services.report_narrative_set(
            actor=people["officer"], report=report, narrative={"七、附则": "x"}
        )
    report = services.report_narrative_set(
        actor=people["officer"],
        report=report,
        narrative={"五、存在的主要问题及改进情况": "  人员力量不足。\r\n将加强培训。 "},
    )
    assert report.narrative == {"五、存在的主要问题及改进情况": "人员力量不足。\n将加强培训。"}
    event = AuditEvent.objects.get(verb="report.narrative_set")
    assert event.actor == people["officer"]
    # drafting fills the empty sections only
    report = services.report_narrative_draft(actor=people["officer"], report=report)
    assert report.narrative["五、存在的主要问题及改进情况"] == "人员力量不足。\n将加强培训。"
    assert list(report.narrative) != [] and set(report.narrative) == set(TITLES)
    drafted = AuditEvent.objects.get(verb="report.narrative_draft")
    assert "五、存在的主要问题及改进情况" not in (drafted.after or {})
    # an empty text clears a section
    report = services.report_narrative_set(
        actor=people["officer"], report=report, narrative={"六、其他需要报告的事项": ""}
    )
    assert "六、其他需要报告的事项" not in report.narrative
    # not while in review
    report = services.report_transition(actor=people["officer"], report=report, action="submit")
    with pytest.raises(ValidationError):
        services.report_narrative_set(
            actor=people["officer"], report=report, narrative={"一、总体情况": "x"}
        )
    with pytest.raises(ValidationError):
        services.report_narrative_draft(actor=people["officer"], report=report)


def test_publishing_freezes_the_figures_of_the_text(records, people, client):
    report = services.report_start(actor=people["officer"], agency=records, year=YEAR, fmt="2021")
    report = services.report_narrative_draft(actor=people["officer"], report=report)
    # the draft's section 五 is still to be written: it cannot go to review like that
    with pytest.raises(ValidationError, match="请填写"):
        services.report_transition(actor=people["officer"], report=report, action="submit")
    problems = "五、存在的主要问题及改进情况"
    lint = {"format": "2021", "year": YEAR, "cells": {}, "narrative": report.narrative}
    assert [(f.rule, f.location) for f in lint_report(lint) if f.rule.endswith("placeholder")] == [
        ("narrative_placeholder", problems),
        ("narrative_placeholder", problems),
    ]
    report = services.report_narrative_set(
        actor=people["officer"], report=report, narrative={problems: "政策解读形式较单一。"}
    )
    report = services.report_transition(actor=people["officer"], report=report, action="submit")
    report = services.report_transition(actor=people["head"], report=report, action="publish")
    version = report.versions.get()
    assert "{{cell:" not in "".join(version.narrative.values())
    assert "新收政府信息公开申请3件" in version.narrative["一、总体情况"]
    make_application(records, received=date(YEAR, 7, 1), concluded=None, due=date(YEAR, 7, 22))
    doc = exports.from_version(version)
    assert "新收政府信息公开申请3件" in doc.narrative["一、总体情况"]
    page = client.get(
        reverse("portal:annual-report", kwargs={"agency": records.slug, "year": YEAR})
    ).content.decode()
    assert "新收政府信息公开申请3件" in page and "{{cell:" not in page


def test_the_narrative_survives_the_html_round_trip(records, people, tmp_path):
    report = services.report_start(actor=people["officer"], agency=records, year=YEAR, fmt="2021")
    report = services.report_narrative_draft(actor=people["officer"], report=report)
    doc = exports.from_computed(compute_report(records, YEAR, "2021"), report.narrative)
    out = exports.export(doc, "html")
    path = tmp_path / out.filename
    path.write_bytes(out.content)
    imported = import_file(path)
    assert {k: v for k, v in imported.narrative.items() if k} == doc.narrative
    assert "{{cell:" not in out.content.decode()


def test_the_staff_page_edits_and_drafts_the_text(records, people, client):
    services.report_start(actor=people["officer"], agency=records, year=YEAR, fmt="2021")
    client.force_login(people["officer"])
    url = reverse("reports:report", args=[records.slug, YEAR])
    page = client.get(url).content.decode()
    assert reverse("reports:narrative-draft", args=[records.slug, YEAR]) in page
    assert page.count('name="section"') == len(TITLES)
    response = client.post(reverse("reports:narrative-draft", args=[records.slug, YEAR]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert token(NEW) in page  # the textarea holds the token
    assert "新收政府信息公开申请3件" in page  # the report shows the figure
    client.post(
        reverse("reports:narrative-set", args=[records.slug, YEAR]),
        {"section": "五、存在的主要问题及改进情况", "text": "专业人员不足。"},
    )
    assert "专业人员不足。" in client.get(url).content.decode()
    # an editor sees no form and cannot post
    client.force_login(people["editor"])
    assert 'name="section"' not in client.get(url).content.decode()
    response = client.post(
        reverse("reports:narrative-set", args=[records.slug, YEAR]),
        {"section": "五、存在的主要问题及改进情况", "text": "x"},
        follow=True,
    )
    assert "专业人员不足。" in response.content.decode()
    assert records.reports.get().narrative["五、存在的主要问题及改进情况"] == "专业人员不足。"
    # another agency's report: 404
    client.force_login(people["other"])
    response = client.post(
        reverse("reports:narrative-draft", args=[records.slug, YEAR]), follow=False
    )
    assert response.status_code == 404


def test_the_drafted_narrative_never_contradicts_the_lint(records):
    """The agency's own draft, written from the computed cells (incl. the 行政复议 and 行政诉讼
    sentences, with a case still pending and one after 复议), linted as a whole report with the
    figures staff enter and section 五 written: no error, no warning."""
    Appeal.objects.create(
        application=Appeal.objects.get(kind="review").application,
        kind="litigation_after_review",
        filed_on=date(YEAR, 6, 1),
        body="舟山市中级人民法院",
        result="maintained",
        decided_on=date(YEAR, 10, 1),
    )
    cells = dict(compute_report(records, YEAR, "2021").cells)
    assert cells["行政诉讼|复议后起诉|总计"] == 1
    assert cells["行政诉讼|未经复议直接起诉|尚未审结"] == 1
    cells.update(
        {
            "行政许可|本年处理决定数量": 12,
            "行政处罚|本年处理决定数量": 3,
            "行政强制|本年处理决定数量": 0,
            "行政事业性收费|本年收费金额（单位：万元）": 0,
        }
    )
    draft = draft_narrative(records, YEAR, "2021", cells)
    draft["五、存在的主要问题及改进情况"] = (
        "（一）存在的主要问题：栏目更新不够及时。\n（二）改进情况：按月检查。"
    )
    text = render_narrative(draft, cells)["四、政府信息公开行政复议、行政诉讼情况"]
    assert "复议后起诉1件，其中结果维持1件" in text
    report = {"format": "2021", "year": YEAR, "agency": records.name, "cells": cells}
    found = lint_report({**report, "narrative": draft}, level=records.level)
    assert [f for f in found if f.severity in ("error", "warning")] == []
    # and the lint does speak when the text is changed by hand against the tables
    draft["四、政府信息公开行政复议、行政诉讼情况"] = "本年度因政府信息公开工作被申请行政复议5件。"
    found = lint_report({**report, "narrative": draft}, level=records.level)
    assert [(f.rule, f.expected, f.actual) for f in found] == [("narrative_table", 1, 5)]


def test_the_staff_page_labels_findings_and_units_once(records, people, client):
    """The checks on the staff page: severities by their (translated) labels, never the codes,
    each with its basis; a column that names its unit is not followed by it again."""
    from gongkai.reports.lint import severity_label

    services.report_start(actor=people["officer"], agency=records, year=YEAR, fmt="2021")
    services.report_narrative_draft(actor=people["officer"], report=records.reports.get())
    client.force_login(people["officer"])
    page = client.get(reverse("reports:report", args=[records.slug, YEAR])).content.decode()
    checks = page.split('id="findings"')[1].split("</section>")[0]
    assert f"<strong>{severity_label('error')}</strong>" in checks  # the 【请填写…】 of 五
    assert "<strong>error</strong>" not in checks and "<strong>warning</strong>" not in checks
    assert 'class="hint"' in checks  # the basis
    assert "本年收费金额（单位：万元）</label>" in page
    assert "（单位：万元）</label>（万元）" not in page
