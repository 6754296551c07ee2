"""The catalogue demo: loaded through the real services, idempotent, shaped like the seed."""

from collections import Counter
from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from gongkai.catalogue import selectors, shield
from gongkai.catalogue.demo import CATALOGUE_USERS, ITEMS, demo_size, load_catalogue_demo
from gongkai.catalogue.models import Channel, Column, Item, ItemReview, ItemStatus, Publication
from gongkai.catalogue.taxonomy import ChannelKind, ColumnType, Validity
from gongkai.core.demo import load_demo
from gongkai.core.models import Agency, AuditEvent, Membership, User
from gongkai.core.selectors import current_work_calendar

SEED_COLUMNS = {
    "重点领域": None,
    "政府信息公开": None,
    "财政预决算": "重点领域",
    "应急管理": "重点领域",
    "重大建设项目": "重点领域",  # the four empty ones (compliance: 空白栏目)
    "公共资源配置": "重点领域",
    "社会救助": "重点领域",
    "乡村振兴": "重点领域",
    "组织机构": "政府信息公开",
    "政策文件": "政府信息公开",
    "工作动态": "政府信息公开",
    "公告公示": "政府信息公开",
    "人事信息": "政府信息公开",
    "财政预算公开": "政府信息公开",
    "年度报告": "政府信息公开",
}


def counts():
    return {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "columns": Column.objects.count(),
        "channels": Channel.objects.count(),
        "items": Item.objects.count(),
        "statuses": dict(Counter(Item.objects.values_list("status", flat=True))),
        "reviews": ItemReview.objects.count(),
        "publications": Publication.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def test_titles_identify_items():
    keys = [(spec.agency, spec.title) for spec in ITEMS]
    assert len(keys) == len(set(keys))


def test_the_first_load_reports_what_it_created(db):
    load_demo()
    steps = []
    result = load_catalogue_demo(progress=steps.append)
    assert len(steps) == demo_size()
    assert result.created["items"] == len(ITEMS) == Item.objects.count()
    assert result.created["columns"] == Column.objects.count()
    assert result.created["channels"] == Channel.objects.count()
    assert result.created["users"] == len(CATALOGUE_USERS)
    others = Publication.objects.exclude(channel__kind=ChannelKind.WEBSITE)
    assert result.created["publications"] == others.count()


class TestTheLoadedDemo(TestCase):
    """One load for the class (setUpTestData); each test runs in a savepoint of it."""

    @classmethod
    def setUpTestData(cls):
        load_demo()
        load_catalogue_demo()
        cls.liuheng = Agency.objects.get(slug="liuheng")
        cls.taohua = Agency.objects.get(slug="taohua")
        cls.officer = User.objects.get(username="lh_officer")

    def test_loading_again_creates_nothing(self):
        first = counts()
        result = load_catalogue_demo()
        assert sum(result.created.values()) == 0
        assert counts() == first

    def test_the_seed_columns_exist_with_their_types(self):
        columns = {c.name: c for c in Column.objects.filter(agency=self.liuheng)}
        assert set(columns) == set(SEED_COLUMNS)
        for name, parent in SEED_COLUMNS.items():
            assert (columns[name].parent.name if columns[name].parent else None) == parent, name
        assert columns["工作动态"].column_type == ColumnType.NEWS
        assert columns["政策文件"].column_type == ColumnType.POLICY
        assert columns["公告公示"].column_type == ColumnType.NOTICE
        assert columns["人事信息"].column_type == ColumnType.PERSONNEL
        assert columns["应急管理"].column_type == ColumnType.EMERGENCY
        assert columns["年度报告"].column_type == ColumnType.ANNUAL_REPORT
        assert columns["财政预决算"].column_type == ColumnType.FINANCE
        assert columns["财政预算公开"].column_type == ColumnType.FINANCE
        depths = {c.name: depth for c, depth in selectors.column_tree(self.liuheng)}
        assert depths == {name: 0 if parent is None else 1 for name, parent in SEED_COLUMNS.items()}

    def test_the_seed_channels_exist(self):
        kinds = Counter(Channel.objects.filter(agency=self.liuheng).values_list("kind", flat=True))
        # "六横共有微博2个，微信公众号6个", and the website.
        assert kinds == {ChannelKind.WEBSITE: 1, ChannelKind.WEIBO: 2, ChannelKind.WECHAT: 6}

    def test_liuheng_has_a_realistic_catalogue(self):
        items = Item.objects.filter(agency=self.liuheng)
        assert items.count() >= 50
        statuses = Counter(items.values_list("status", flat=True))
        assert statuses[ItemStatus.PUBLISHED] >= 40
        assert statuses[ItemStatus.PENDING] >= 3
        assert statuses[ItemStatus.DRAFT] >= 3
        assert statuses[ItemStatus.WITHDRAWN] == 1
        assert statuses[ItemStatus.APPROVED] == 1  # waiting for its scheduled time
        assert items.get(status=ItemStatus.APPROVED).scheduled_at > timezone.now()
        assert {d.year for d in items.values_list("formed_on", flat=True)} == {2025, 2026}
        assert items.filter(document_number__regex=r"^六政(办)?发〔20\d\d〕\d+号$").count() >= 10
        assert items.filter(genre="normative", validity=Validity.VALID).exists()
        assert items.filter(genre="normative", validity=Validity.REPEALED).exists()
        returned = ItemReview.objects.get(decision=ItemReview.Decision.REJECT)
        assert returned.item.status == ItemStatus.DRAFT and returned.comment

    def test_published_items_carry_their_own_dates_and_numbers(self):
        calendar = current_work_calendar()
        published = Item.objects.filter(agency=self.liuheng, status=ItemStatus.PUBLISHED)
        for item in published:
            day = timezone.localdate(item.published_at)
            assert item.formed_on <= day <= date(2026, 11, 30), item.title
            website = item.publications.get(channel__kind=ChannelKind.WEBSITE)
            assert website.published_on == day
            assert item.index_number.startswith(f"{self.liuheng.uscc}/")
            assert not selectors.publication_clock(item, calendar=calendar).overdue, item.title
        serials = sorted(
            Item.objects.filter(agency=self.liuheng)
            .exclude(index_serial=None)
            .values_list("index_serial", flat=True)
        )
        assert serials == list(range(1, len(serials) + 1))

    def test_some_unpublished_items_are_overdue(self):
        overdue = selectors.overdue_items(
            self.officer,
            agency=self.liuheng,
            calendar=current_work_calendar(),
            today=date(2026, 11, 26),
        )
        statuses = Counter(item.status for item, _clock in overdue)
        assert statuses[ItemStatus.DRAFT] >= 2
        assert statuses[ItemStatus.PENDING] >= 1

    def test_personal_data_is_masked_blocked_or_overridden(self):
        items = Item.objects.filter(agency=self.liuheng)
        masked = [item for item in items if "********" in item.body]
        assert len(masked) >= 3
        for item in masked:
            assert shield.item_findings(item) == []
            assert AuditEvent.objects.filter(verb="item.mask", object_id=str(item.pk)).exists()
        drafts = items.filter(status=ItemStatus.DRAFT)
        [blocked] = [item for item in drafts if shield.item_findings(item)]
        assert {f.finding.type for f in shield.item_findings(blocked)} >= {"id_card", "mobile"}
        overridden = items.exclude(privacy_override="")
        assert set(overridden.values_list("privacy_override", flat=True)) == {
            "disciplinary",
            "mandatory",
        }
        assert all(shield.item_findings(item) for item in overridden)

    def test_other_channels_make_the_one_item_counts_once_rule_visible(self):
        period = (date(2025, 1, 1), date(2026, 12, 31))
        per_kind = selectors.publications_per_channel_kind(self.liuheng, *period)
        assert per_kind[ChannelKind.WEIBO] > 0 and per_kind[ChannelKind.WECHAT] > 0
        distinct = selectors.distinct_items_published(self.liuheng, *period)
        assert distinct < sum(per_kind.values())
        # The withdrawn item was published before it was withdrawn, so it still counts.
        ever_published = Item.objects.filter(agency=self.liuheng).exclude(published_at=None)
        assert distinct == ever_published.count()

    def test_taohua_shows_tenancy(self):
        taohua = self.taohua
        assert Item.objects.filter(agency=taohua, status=ItemStatus.PUBLISHED).count() >= 3
        assert Column.objects.filter(agency=taohua).exists()
        assert not selectors.items_visible_to(self.officer).filter(agency=taohua).exists()
        th_officer = User.objects.get(username="th_officer")
        visible = selectors.items_visible_to(th_officer)
        assert set(visible.values_list("agency", flat=True)) == {taohua.pk}
        assert selectors.review_queue(th_officer).count() == 1


def test_the_demo_command_loads_the_catalogue_and_prints_the_logins(db):
    out = StringIO()
    call_command("demo", stdout=out)
    first = counts()
    call_command("demo", stdout=out)
    assert counts() == first
    text = out.getvalue()
    # The whole demo also publishes the matters' 办事指南 as items of their own column, and the
    # 2018 items behind the seed's annual report, and the annual report it publishes (its
    # catalogue item: gongkai/reports/publishing.py).
    from gongkai.reports.models import ReportVersion

    published_reports = ReportVersion.objects.exclude(item=None).values("item")
    catalogue_items = (
        Item.objects.exclude(column__name="办事指南")
        .exclude(index_year=2018)
        .exclude(pk__in=published_reports)
    )
    assert catalogue_items.count() == len(ITEMS)
    for spec in CATALOGUE_USERS:
        assert spec.username in text
    assert "lh_editor" in text
