"""The catalogue end to end in a real browser: an editor writes an item carrying personal data,
the privacy shield blocks its submission, one action masks it, a reviewer approves and publishes.

UI labels are translated (zh-hans) and the translations are still being filled in, so this test
finds its way by URLs, form field names, ids, data-* attributes and the status classes, and
asserts on data (the item's own text, the index number, the dates), never on translated labels.
"""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, Response, expect

from gongkai.catalogue.models import Column, Item, ItemStatus
from gongkai.catalogue.taxonomy import Genre
from gongkai.privacy import mask_value
from gongkai.privacy.findings import ID_CARD, MOBILE

AGENCY = "liuheng"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(region: str, born: date, sequence: str) -> str:
    """An 18-digit resident ID number with its GB 11643-1999 check character."""
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    assert len(first17) == 17 and first17.isdigit(), first17
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


RAW_ID = resident_id("330902", date(1980, 1, 1), "123")  # 330902198001011233
RAW_MOBILE = "13805808000"
# The masks as the rules give them: an ID keeps its first 6 and last 4 characters, a mobile
# number its first 3 and last 4 digits.
MASKED_ID = RAW_ID[:6] + "*" * 8 + RAW_ID[-4:]
MASKED_MOBILE = RAW_MOBILE[:3] + "****" + RAW_MOBILE[-4:]

TITLE = "六横镇渔船燃油补贴发放结果公示（浏览器测试）"
BODY = (
    "<p>六横镇渔船燃油补贴发放结果公示如下。</p>"
    f"<p>申领人身份证号码：{RAW_ID}，联系手机：{RAW_MOBILE}。</p>"
    "<p>公示期为五个工作日。</p>"
)


def url_path_is(path: str) -> re.Pattern:
    """Matches a full URL whose path is exactly `path` (any query string or fragment)."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(?:[?#].*)?$")


def submit_form(page: Page, button: Locator, lands_on: str) -> Response:
    """Click a form's submit button and wait until the browser has loaded the page the form
    leads to (after any redirect), whose path must be `lands_on`. Returns that page's response.

    expect_navigation waits for a new navigation, so this also works when the form posts from
    and redirects back to the same URL (the item's page).
    """
    with page.expect_navigation(url=url_path_is(lands_on), wait_until="load") as navigation:
        button.click()
    response = navigation.value
    assert response is not None
    return response


def assert_redirected(response: Response, posted_to: str) -> None:
    """The page was reached by the redirect after a successful POST to `posted_to`."""
    assert response.status == 200, response.status
    posted = response.request.redirected_from
    assert posted is not None, f"{response.url} was not reached through a redirect"
    assert posted.method == "POST" and url_path_is(posted_to).match(posted.url), posted.url


def expect_status(page: Page, status: str) -> None:
    expect(page.locator("main .item-state .status")).to_have_class(
        re.compile(rf"(^|\s)status-{status}(\s|$)")
    )


def test_the_masks_follow_the_rules():
    assert RAW_ID == "330902198001011233"
    assert mask_value(ID_CARD, RAW_ID) == MASKED_ID == "330902********1233"
    assert mask_value(MOBILE, RAW_MOBILE) == MASKED_MOBILE == "138****8000"


def test_item_with_personal_data_is_masked_reviewed_and_published(
    page: Page, demo, column: Column, log_in
):
    liuheng = demo.agencies[AGENCY]
    today = timezone.localdate()

    # 1. The editor opens 六横镇's catalogue from the staff home and writes a new item.
    log_in("lh_editor")
    items_url = reverse("catalogue:item-list", args=[AGENCY])
    page.locator(f'main section.catalogue-links a[href="{items_url}"]').click()
    expect(page).to_have_url(url_path_is(items_url))

    create_url = reverse("catalogue:item-create", args=[AGENCY])
    page.locator(f'main nav.subnav a[href="{create_url}"]').click()
    expect(page).to_have_url(url_path_is(create_url))

    form = page.locator(f'main form[action="{create_url}"]')
    form.locator("select[name=column]").select_option(str(column.pk))
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=formed_on]").fill(today.isoformat())
    form.locator("select[name=genre]").select_option(Genre.NOTICE.value)
    # the body is the rich editor (frontend/editor.js), which writes its HTML back into the
    # hidden textarea; the form's other buttons import a .docx and upload files
    page.wait_for_function("() => window.gongkaiEditor")
    page.evaluate(
        "html => window.gongkaiEditor.commands.setContent(html, {emitUpdate: true})", BODY
    )
    with page.expect_navigation(
        url=re.compile(r"/items/\d+/edit/(?:[?#].*)?$"), wait_until="load"
    ) as navigation:
        form.locator("#save-item").click()
    assert_redirected(navigation.value, create_url)

    pk = int(re.search(r"/items/(\d+)/edit/", page.url).group(1))
    item = Item.objects.get(pk=pk)
    assert (item.agency, item.column, item.title) == (liuheng, column, TITLE)
    assert (item.formed_on, item.genre) == (today, Genre.NOTICE)
    assert item.status == ItemStatus.DRAFT
    assert RAW_ID in item.body and RAW_MOBILE in item.body

    detail_url = reverse("catalogue:item-detail", args=[AGENCY, pk])
    submit_url = reverse("catalogue:item-submit", args=[AGENCY, pk])
    mask_url = reverse("catalogue:item-mask", args=[AGENCY, pk])
    page.locator(f'main a[href="{detail_url}"]').first.click()
    expect(page).to_have_url(url_path_is(detail_url))
    expect(page.locator("main h1")).to_have_text(TITLE)
    expect_status(page, ItemStatus.DRAFT)

    # 2. Submitting is blocked: the findings are listed with the numbers marked; still a draft.
    submit_button = page.locator(f'main form[action="{submit_url}"] button[type=submit]')
    expect(submit_button).to_have_count(1)
    response = submit_form(page, submit_button, lands_on=submit_url)
    assert response.status == 400, response.status
    assert response.request.method == "POST"

    expect(page.locator("main ul.messages li.error")).to_have_count(1)
    findings = page.locator("#findings")
    expect(findings).to_be_visible()
    body_marks = findings.locator('tbody tr[data-field="body"] mark')
    expect(body_marks).to_have_count(2)
    expect(findings.locator("tbody tr mark")).to_have_count(2)  # none in the title
    assert sorted(body_marks.all_inner_texts()) == sorted([RAW_ID, RAW_MOBILE])
    expect_status(page, ItemStatus.DRAFT)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and item.submitted_by is None

    # 3. One action masks every finding; the item then goes to review.
    mask_button = findings.locator(f'form[action="{mask_url}"] button[type=submit]')
    assert_redirected(submit_form(page, mask_button, lands_on=detail_url), mask_url)
    expect(page.locator("#findings")).to_have_count(0)
    item_body = page.locator("main .item-body")
    expect(item_body).to_contain_text(MASKED_ID)
    expect(item_body).to_contain_text(MASKED_MOBILE)
    expect(item_body).not_to_contain_text(RAW_ID)
    expect(item_body).not_to_contain_text(RAW_MOBILE)
    html = page.content()
    assert RAW_ID not in html and RAW_MOBILE not in html
    expect_status(page, ItemStatus.DRAFT)

    submit_button = page.locator(f'main form[action="{submit_url}"] button[type=submit]')
    expect(submit_button).to_have_count(1)
    assert_redirected(submit_form(page, submit_button, lands_on=detail_url), submit_url)
    expect_status(page, ItemStatus.PENDING)
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING
    assert item.submitted_by == demo.users["lh_editor"]

    # 4. The editor logs out; the reviewer finds the item in the review queue and approves it
    #    with the three checks, publishing at once.
    logout = page.locator(f'header form[action="{reverse("core:logout")}"] button[type=submit]')
    submit_form(page, logout, lands_on=reverse("portal:home"))
    log_in("lh_reviewer")

    queue_url = reverse("catalogue:review-queue", args=[AGENCY])
    page.locator(f'main section.catalogue-links a[href="{queue_url}"]').click()
    expect(page).to_have_url(url_path_is(queue_url))
    queued = page.locator(f'main table.items tbody a[href="{detail_url}"]')
    expect(queued).to_have_count(1)
    expect(queued).to_have_text(TITLE)
    queued.click()
    expect(page).to_have_url(url_path_is(detail_url))
    expect_status(page, ItemStatus.PENDING)

    approve_url = reverse("catalogue:item-approve", args=[AGENCY, pk])
    approve = page.locator(f'form#approve[action="{approve_url}"]')
    for name in ("check_secrecy", "check_privacy", "check_wording", "publish_now"):
        checkbox = approve.locator(f'input[type=checkbox][name="approve-{name}"]')
        checkbox.check()
        expect(checkbox).to_be_checked()
    response = submit_form(page, approve.locator("button[type=submit]"), lands_on=detail_url)
    assert_redirected(response, approve_url)

    # 5. Published: the page shows the 索引号 and the publication date, and the masked body only.
    expect_status(page, ItemStatus.PUBLISHED)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.published_at is not None and item.approved_by == demo.users["lh_reviewer"]
    year = timezone.localdate(item.published_at).year
    assert re.fullmatch(re.escape(liuheng.uscc) + rf"/{year}-\d{{5}}", item.index_number), (
        item.index_number
    )

    expect(page.locator('main [data-testid="index-number"]')).to_have_text(item.index_number)
    expect(page.locator('main [data-testid="published-at"]')).to_have_text(
        timezone.localtime(item.published_at).strftime("%Y-%m-%d %H:%M")
    )
    item_body = page.locator("main .item-body")
    expect(item_body).to_contain_text(MASKED_ID)
    expect(item_body).to_contain_text(MASKED_MOBILE)
    html = page.content()
    assert RAW_ID not in html and RAW_MOBILE not in html

    for stored in (item.title, item.summary, item.body):
        assert RAW_ID not in stored and RAW_MOBILE not in stored
    assert MASKED_ID in item.body and MASKED_MOBILE in item.body
