"""The role × agency × endpoint matrix: who gets what from every page and API operation.

One entry per URL pattern name (staff and public pages) and per API operationId. Each entry is
one or more cases (a request built from the objects of agency A in access_world.py) with the
outcome expected for each principal (access_world.PRINCIPALS):

    anon        not signed in / no token
    nobody      signed in (or a token) but no role anywhere
    editor … admin   the roles of agency A
    supervisor  上级查看 of the district above A (reads A, writes nothing)
    foreign     every role of agency B, A's sibling
    superuser   platform administrator without any role

test_access_matrix.py enumerates the URL resolver and the OpenAPI schema: a pattern or an
operation without an entry here fails, as does an entry whose pattern no longer exists.

Outcomes: OK (200), LOGIN (302 to the login page), DENIED (403), HIDDEN (404: another agency's
records, or records the role may not read, do not exist for the user), UNAUTH (401, the API
without a valid token), WRITE (an unsafe request a principal may make: anything but
401/403/404/5xx — an empty or invalid body answers 400, an illegal step 409) and REFUSED (an
unsafe request refused: 400/403/409 or a redirect back with a message, and nothing written).
Any other int is an exact status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

OK = 200
LOGIN = "login"
DENIED = 403
HIDDEN = 404
UNAUTH = 401
WRITE = "write"
REFUSED = "refused"

ANON, NOBODY, FOREIGN, SUPERVISOR, SUPERUSER = (
    "anon",
    "nobody",
    "foreign",
    "supervisor",
    "superuser",
)
EDITOR, REVIEWER, OFFICER, HEAD, ADMIN = "editor", "reviewer", "officer", "head", "admin"
MEMBERS = frozenset({EDITOR, REVIEWER, OFFICER, HEAD, ADMIN})
# can_view_agency: A's members, the supervisor above A, the platform administrator.
VIEWERS = MEMBERS | {SUPERVISOR, SUPERUSER}
# Applications and operations records hold personal data: not editors and reviewers.
OFFICE_READERS = frozenset({OFFICER, HEAD, ADMIN, SUPERVISOR, SUPERUSER})
OFFICE_KEEPERS = frozenset({OFFICER, HEAD, ADMIN, SUPERUSER})
HANDLERS = frozenset({OFFICER, HEAD})
AUTHORS = frozenset({EDITOR, OFFICER})
REVIEWERS = frozenset({REVIEWER, OFFICER})
COLUMN_KEEPERS = frozenset({OFFICER, ADMIN, SUPERUSER})
CHECKERS = frozenset({OFFICER, HEAD, ADMIN, SUPERUSER})  # reports.permissions.CHECK_ROLES
RECORDERS = frozenset({OFFICER, EDITOR, SUPERUSER})  # engagement records and 找错 reports
ALL_STAFF = VIEWERS | {FOREIGN}  # any staff user, for pages that are not an agency's
EVERYONE = frozenset({ANON, NOBODY, FOREIGN, SUPERVISOR, SUPERUSER}) | MEMBERS
# Public pages answer everyone alike; four principals show it: anonymous, staff of A and of
# B, and the applicant of A's replied application with its status page unlocked (number and
# query code) in the session.
APPLICANT = "applicant"
PUBLIC_PRINCIPALS = (ANON, OFFICER, FOREIGN, APPLICANT)
API_PUBLIC_PRINCIPALS = (ANON, OFFICER, FOREIGN)  # the API has no applicant's session

Params = Callable[[dict], dict]


@dataclass(frozen=True)
class Case:
    method: str
    expect: dict[str, object]
    params: Params = field(default=lambda o: {})
    query: Params | None = None  # API: query string
    body: Params | None = None  # API: JSON body (None: generated from the schema)
    public: bool = False  # nobody, signed in or not, may see A's secret in the answer
    cross: bool = False  # API: the body names A's objects (also tried by B's user naming B)
    data: Params | None = None  # pages: the form posted (valid, so that a refusal is the
    # permission's and not the form's)


def _expect(ok, ok_outcome, other, outsiders: dict, cells: dict) -> dict[str, object]:
    """`ok` get `ok_outcome`, A's other principals `other`, `outsiders` theirs; `cells` win."""
    expect = dict(outsiders)
    for principal in (*sorted(MEMBERS), SUPERVISOR, SUPERUSER):
        expect[principal] = ok_outcome if principal in ok else other
    for outsider in (FOREIGN, NOBODY):
        if outsider in ok:
            expect[outsider] = ok_outcome
    expect.update(cells)
    return expect


STAFF_OUTSIDERS = {ANON: LOGIN, NOBODY: DENIED, FOREIGN: HIDDEN}
API_OUTSIDERS = {ANON: UNAUTH, NOBODY: HIDDEN, FOREIGN: HIDDEN}


def page(ok, params: Params = lambda o: {}, *, other=DENIED, **cells) -> Case:
    """A staff page of agency A read with GET: `ok` get 200, A's other principals `other`."""
    expect = _expect(ok, OK, other, STAFF_OUTSIDERS, cells)
    return Case("GET", expect, params)


def post(ok, params: Params = lambda o: {}, *, data=None, other=DENIED, **cells) -> Case:
    """A staff form posted (`data`, or empty): `ok` may post (WRITE), A's others get `other`."""
    expect = _expect(ok, WRITE, other, STAFF_OUTSIDERS, cells)
    return Case("POST", expect, params, data=data)


def public(status=OK, params: Params = lambda o: {}, method="GET", query=None, **cells) -> Case:
    expect = {principal: status for principal in PUBLIC_PRINCIPALS}
    expect.update(cells)
    return Case(method, expect, params, query=query, public=True)


def api(
    ok, params: Params = lambda o: {}, *, method="GET", other=DENIED, query=None, body=None, **cells
) -> Case:
    """A staff API operation: `ok` succeed (GET 200, unsafe WRITE), A's others get `other`,
    B's staff and users without roles 404 (A's objects do not exist for them), no token 401."""
    outcome = OK if method == "GET" else WRITE
    expect = _expect(ok, outcome, other, API_OUTSIDERS, cells)
    return Case(method, expect, params, query=query, body=body)


def api_public(
    status=OK, params: Params = lambda o: {}, *, method="GET", query=None, body=None, **cells
) -> Case:
    expect = {principal: status for principal in API_PUBLIC_PRINCIPALS}
    expect.update(cells)
    return Case(method, expect, params, query=query, body=body, public=True)


def admin_index() -> Case:
    """The scoped admin lets in platform administrators and agency administrators (B's too:
    they see B's records only); everyone else is sent to its login page."""
    expect = {p: LOGIN for p in EVERYONE}
    expect.update({ADMIN: OK, FOREIGN: OK, SUPERUSER: OK})
    return Case("GET", expect)


# --- path parameters ------------------------------------------------------------------------


def pk(key):
    return lambda o: {"pk": o[key].pk}


def item(key, **more):
    return lambda o: {"pk": o[key].pk, **{k: (v(o) if callable(v) else v) for k, v in more.items()}}


def application(**more):
    return lambda o: {"pk": o["application"].pk, **{k: v(o) for k, v in more.items()}}


def report_year(**more):
    return lambda o: {"year": o["report"].year, **more}


def tmpl_key(o):
    return {"key": "correction"}


# --- the staff pages ------------------------------------------------------------------------

PAGES: dict[str, Case | tuple[Case, ...]] = {
    # core
    "core:login": public(OK, **{p: OK for p in EVERYONE}),
    "core:logout": public(405, **{p: 405 for p in EVERYONE}),
    "core:staff-home": page(ALL_STAFF),
    "core:agency-detail": page(VIEWERS, lambda o: {"pk": o["town"].pk}),
    "core:agency-audit": page(
        {OFFICER, ADMIN, SUPERVISOR, SUPERUSER}, lambda o: {"pk": o["town"].pk}, other=HIDDEN
    ),
    "core:calendar": (page(ALL_STAFF), post({SUPERUSER}, other=DENIED, foreign=DENIED)),
    # an export built in the background (gongkai.core.exports): its page and its file are the
    # starter's alone, while the export's kind still allows them (anyone else: 404)
    "core:export": page({OFFICER}, pk("export"), other=HIDDEN),
    "core:export-file": page({OFFICER}, pk("export"), other=HIDDEN),
    # the wording check's term list: read by any staff, shared by every agency, so changed by
    # platform administrators only
    "wording:terms": (
        page(ALL_STAFF),
        post(
            {SUPERUSER},
            other=DENIED,
            foreign=DENIED,
            data=lambda o: {
                "action": "add",
                "correct": "六横镇党政综合办公室",
                "wrong_forms": "六横镇党政综和办公室",
                "category": "body",
            },
        ),
    ),
    # the operator's machine endpoints (gongkai.core.ops): everyone alike; /metrics answers the
    # test client's loopback address (any other address is a 404: test_ops.py)
    "core:healthz": public(),
    "core:readyz": public(),
    "core:metrics": public(),
    # catalogue
    "catalogue:columns": page(VIEWERS),
    "catalogue:column-create": post(
        COLUMN_KEEPERS, data=lambda o: {"name": "新栏目", "column_type": "news", "position": "0"}
    ),
    "catalogue:column-edit": (
        page(COLUMN_KEEPERS, pk("column")),
        post(
            COLUMN_KEEPERS,
            pk("column"),
            data=lambda o: {"name": "政策", "column_type": "policy", "position": "1"},
        ),
    ),
    "catalogue:item-list": page(VIEWERS),
    "catalogue:item-create": (page(AUTHORS), post(AUTHORS)),
    "catalogue:item-import": (page(AUTHORS), post(AUTHORS)),
    "catalogue:item-import-confirm": post(AUTHORS),
    # a confirmed import's page: its own author's alone (another author: 404)
    "catalogue:item-import-run": page(
        {OFFICER}, lambda o: {"pk": o["item_import"].pk}, editor=HIDDEN
    ),
    "catalogue:item-import-template": page(AUTHORS),
    # the item editor: a .docx as the body, files before the first save, checks as you type
    "catalogue:item-new-import": post(AUTHORS),
    "catalogue:item-new-files": post(AUTHORS),
    "catalogue:item-findings": post(AUTHORS, data=lambda o: {"body": "<p>通知</p>"}),
    "catalogue:item-edit-import": post(AUTHORS, pk("draft")),
    "catalogue:item-edit-files": post(AUTHORS, pk("draft")),
    # the list: bulk submit/withdraw (each item's own service decides), the XLSX of the list
    "catalogue:item-bulk": post(
        AUTHORS | REVIEWERS, data=lambda o: {"items": [o["draft"].pk], "action": "submit"}
    ),
    # starts the list's XLSX in the background (core:export shows it)
    "catalogue:item-export": post(VIEWERS),
    "catalogue:overdue": page(VIEWERS),
    "catalogue:review-queue": page(VIEWERS),
    "catalogue:channels": page(VIEWERS),
    "catalogue:settings": (
        page(COLUMN_KEEPERS),
        post(COLUMN_KEEPERS, data=lambda o: {"index_pattern": "LH-{YYYY}-{NNNNN}"}),
    ),
    "catalogue:channel-create": post(
        COLUMN_KEEPERS, data=lambda o: {"kind": "weibo", "name": "新微博"}
    ),
    "catalogue:publication-import": (
        page({OFFICER, EDITOR, REVIEWER}, lambda o: {"channel": o["channel"].pk}),
        post({OFFICER, EDITOR, REVIEWER}, lambda o: {"channel": o["channel"].pk}),
    ),
    "catalogue:publication-import-confirm": post(
        {OFFICER, EDITOR, REVIEWER}, lambda o: {"channel": o["channel"].pk}
    ),
    # a confirmed publications import's page: its own author's alone (another recorder: 404)
    "catalogue:publication-import-run": page(
        {OFFICER},
        lambda o: {"channel": o["channel"].pk, "pk": o["publication_import"].pk},
        editor=HIDDEN,
        reviewer=HIDDEN,
    ),
    "catalogue:item-detail": page(VIEWERS, pk("draft")),
    "catalogue:item-edit": (page(AUTHORS, pk("draft")), post(AUTHORS, pk("draft"))),
    "catalogue:attachment-add": post(
        AUTHORS, pk("draft"), data=lambda o: {"upload-file": o["upload"]()}
    ),
    "catalogue:attachment-download": page(
        VIEWERS, item("draft", attachment=lambda o: o["draft_attachment"].pk)
    ),
    "catalogue:attachment-remove": post(
        AUTHORS, item("draft", attachment=lambda o: o["draft_attachment"].pk)
    ),
    "catalogue:attachment-scan-page": page(
        VIEWERS, item("draft", attachment=lambda o: o["draft_scan"].pk, page=1)
    ),
    "catalogue:attachment-ocr-checked": post(
        REVIEWERS, item("draft", attachment=lambda o: o["draft_scan"].pk)
    ),
    "catalogue:attachment-mask": (
        page(AUTHORS, item("draft", attachment=lambda o: o["draft_roster"].pk)),
        post(AUTHORS, item("draft", attachment=lambda o: o["draft_roster"].pk)),
    ),
    "catalogue:attachment-mask-preview": page(
        AUTHORS, item("draft", attachment=lambda o: o["draft_roster"].pk)
    ),
    # the kept original holds the personal data that was masked: the authors only
    "catalogue:attachment-original": page(
        AUTHORS, item("draft", attachment=lambda o: o["masked_roster"].pk)
    ),
    "catalogue:item-mask": post(AUTHORS, pk("draft")),
    "catalogue:item-submit": post(AUTHORS, pk("draft")),
    "catalogue:item-return": post(
        REVIEWERS, pk("pending"), data=lambda o: {"return-comment": "请修改"}
    ),
    "catalogue:item-approve": post(
        REVIEWERS,
        pk("pending"),
        data=lambda o: {f"approve-check_{c}": "on" for c in ("secrecy", "privacy", "wording")},
    ),
    "catalogue:item-publish": post(REVIEWERS, pk("approved")),
    "catalogue:item-withdraw": post(
        REVIEWERS, pk("published"), data=lambda o: {"withdraw-reason": "过时"}
    ),
    "catalogue:publication-record": post(
        {OFFICER, EDITOR, REVIEWER},
        pk("published"),
        data=lambda o: {
            "publication-channel": o["channel"].pk,
            "publication-published_on": "2026-03-05",
        },
    ),
    # applications: editors and reviewers do not read them (404, as another agency's)
    "applications:queue": page(OFFICE_READERS, other=HIDDEN),
    "applications:register": (
        page(HANDLERS, editor=HIDDEN, reviewer=HIDDEN),
        post(HANDLERS, editor=HIDDEN, reviewer=HIDDEN),
    ),
    "applications:export": post(
        OFFICE_READERS, other=HIDDEN, data=lambda o: {"year": "2026", "format": "csv"}
    ),
    "applications:letter-templates": page({HEAD, ADMIN}, editor=HIDDEN, reviewer=HIDDEN),
    "applications:letter-template": (
        page({HEAD, ADMIN}, tmpl_key, editor=HIDDEN, reviewer=HIDDEN),
        post({HEAD, ADMIN}, tmpl_key, editor=HIDDEN, reviewer=HIDDEN),
    ),
    "applications:detail": page(OFFICE_READERS, application(), other=HIDDEN),
    "applications:reveal": post(HANDLERS, application(), editor=HIDDEN, reviewer=HIDDEN),
    "applications:reset-code": post(HANDLERS, application(), editor=HIDDEN, reviewer=HIDDEN),
    "applications:fee-quote": post(HANDLERS, application(), editor=HIDDEN, reviewer=HIDDEN),
    "applications:file": page(
        OFFICE_READERS, application(file=lambda o: o["application_file"].pk), other=HIDDEN
    ),
    "applications:letter": page(
        OFFICE_READERS,
        application(letter=lambda o: o["letter"].pk, fmt=lambda o: "docx"),
        other=HIDDEN,
    ),
    "applications:action": post(
        HANDLERS,
        application(name=lambda o: "note"),
        data=lambda o: {"note-text": "电话联系申请人"},
        editor=HIDDEN,
        reviewer=HIDDEN,
    ),
    # engagement
    "engagement:overview": page(VIEWERS),
    "engagement:incident-list": page(VIEWERS),
    "engagement:incident-create": (page(RECORDERS), post(RECORDERS)),
    "engagement:incident-detail": page(VIEWERS, pk("incident")),
    "engagement:incident-edit": (page(RECORDERS, pk("incident")), post(RECORDERS, pk("incident"))),
    "engagement:incident-respond": post(
        RECORDERS,
        pk("incident"),
        data=lambda o: {"channel": "website", "responded_on": "2026-03-05", "summary": "已回应"},
    ),
    "engagement:incident-close": post(
        RECORDERS,
        pk("incident"),
        data=lambda o: {"closed_on": "2026-03-05", "handling": "已处置"},
    ),
    "engagement:incident-reopen": post(RECORDERS, pk("incident")),
    "engagement:conference-list": page(VIEWERS),
    "engagement:conference-create": (page(RECORDERS), post(RECORDERS)),
    "engagement:conference-edit": (
        page(RECORDERS, pk("conference")),
        post(RECORDERS, pk("conference")),
    ),
    "engagement:interpretation-list": page(VIEWERS),
    "engagement:interpretation-check": page(VIEWERS),
    "engagement:interpretation-create": (page(RECORDERS), post(RECORDERS)),
    "engagement:interpretation-edit": (
        page(RECORDERS, pk("interpretation")),
        post(RECORDERS, pk("interpretation")),
    ),
    "engagement:error-list": page(VIEWERS),
    "engagement:error-detail": page(VIEWERS, pk("error_report")),
    "engagement:error-assign": post(
        RECORDERS, pk("error_report"), data=lambda o: {"assignee": o["assignee"].pk}
    ),
    # The report is not assigned yet: the step is refused (400) before the role is asked.
    "engagement:error-reply": post(RECORDERS, pk("error_report"), other=REFUSED),
    "engagement:error-rework": post(RECORDERS, pk("error_report")),
    "engagement:error-close": post(RECORDERS, pk("error_report"), other=REFUSED),
    # matters
    "matters:matter-list": page(VIEWERS),
    "matters:matter-create": (page(AUTHORS), post(AUTHORS)),
    "matters:statistics": page(VIEWERS),
    "matters:configuration": (page(COLUMN_KEEPERS), post(COLUMN_KEEPERS)),
    "matters:matter-import": (page(AUTHORS), post(AUTHORS)),
    "matters:matter-import-confirm": post(AUTHORS),
    "matters:matter-import-run": page(
        {OFFICER}, lambda o: {"pk": o["matter_import"].pk}, editor=HIDDEN
    ),
    "matters:matter-detail": page(VIEWERS, pk("matter")),
    "matters:matter-edit": (page(AUTHORS, pk("matter")), post(AUTHORS, pk("matter"))),
    "matters:matter-publish": post(
        REVIEWERS,
        pk("matter"),
        data=lambda o: {f"publish-check_{c}": "on" for c in ("secrecy", "privacy", "wording")},
    ),
    "matters:matter-retire": post(
        REVIEWERS,
        pk("matter"),
        data=lambda o: {"retire-reason": "事项取消", "retire-retired_on": "2026-03-05"},
    ),
    # The matter is not retired: the step is refused (400) before the role is asked.
    "matters:matter-reopen": post(AUTHORS, pk("matter"), other=REFUSED),
    # operations: editors and reviewers do not read them (404, as another agency's)
    "operations:overview": page(OFFICE_READERS, other=HIDDEN),
    "operations:dashboard": page(OFFICE_READERS, other=HIDDEN),
    "operations:fees": page(OFFICE_READERS, other=HIDDEN),
    "operations:posts-import": (
        page(OFFICE_KEEPERS, other=HIDDEN, supervisor=DENIED),
        post(OFFICE_KEEPERS, other=HIDDEN, supervisor=DENIED),
    ),
    "operations:posts-import-confirm": post(OFFICE_KEEPERS, other=HIDDEN, supervisor=DENIED),
    # the run page is the confirming officer's alone: A's other keepers get 404 too
    "operations:posts-import-run": page(
        {OFFICER}, lambda o: {"pk": o["post_import"].pk}, other=HIDDEN, supervisor=DENIED
    ),
    "operations:complaints-move": post(
        {OFFICER, HEAD, SUPERUSER},
        pk("complaints"),
        data=lambda o: {"to": "handling"},
        other=HIDDEN,
        admin=REFUSED,  # a redirect back with the refusal as a message
        supervisor=REFUSED,
    ),
    # reports
    "reports:index": page(ALL_STAFF),
    "reports:report-list": page(VIEWERS),
    # The reports' forms answer a refusal with a redirect and a message.
    "reports:report-start": post(HANDLERS, other=REFUSED, data=lambda o: {"year": "2024"}),
    "reports:yoy": page(VIEWERS),
    "reports:report": page(VIEWERS, report_year()),
    "reports:entry-set": post(HANDLERS, report_year(), other=REFUSED),
    "reports:rollup": page(VIEWERS, report_year()),
    # the supervisor's matrix (issue 15.4) and its settings
    # the batch check is the agency's own: neither the agencies above nor its editors see it
    "reports:check-list": page(CHECKERS, other=HIDDEN),
    "reports:check-start": post(
        CHECKERS, other=HIDDEN, data=lambda o: {"year": str(o["report"].year - 1)}
    ),
    "reports:check": page(CHECKERS, lambda o: {"pk": o["check"].pk}, other=HIDDEN),
    "reports:check-xlsx": page(CHECKERS, lambda o: {"pk": o["check"].pk}, other=HIDDEN),
    "reports:matrix": page(VIEWERS, report_year()),
    "reports:matrix-xlsx": page(VIEWERS, report_year()),
    # the compliance monitor: read by whoever reads the agency; a check recorded by its office
    "compliance:agency": page(VIEWERS),
    "compliance:check": post(frozenset({OFFICER, HEAD, ADMIN, SUPERUSER})),
    "compliance:matrix": page(VIEWERS),
    "compliance:matrix-xlsx": page(VIEWERS),
    "reports:publishing": (
        page(VIEWERS),
        # decided above the agency: not by A's own administrator
        post(
            {SUPERUSER},
            other=REFUSED,
            data=lambda o: {"target": o["report"].agency_id, "value": "0"},
        ),
    ),
    "reports:deadlines": (
        page(VIEWERS),
        post(
            {ADMIN},
            other=REFUSED,
            superuser=REFUSED,
            data=lambda o: {"level": "township", "month": "2", "day": "28"},
        ),
    ),
    "reports:import": (
        page(VIEWERS),
        post(
            HANDLERS,
            other=REFUSED,
            superuser=REFUSED,
            data=lambda o: {"target": o["report"].agency_id, "year": "2024", "file": o["upload"]()},
        ),
    ),
    "reports:narrative-set": post(HANDLERS, report_year(), other=REFUSED),
    "reports:narrative-draft": post(HANDLERS, report_year(), other=REFUSED),
    "reports:report-transition": post(
        HANDLERS, report_year(), other=REFUSED, data=lambda o: {"action": "submit"}
    ),
    "reports:report-download": page(VIEWERS, report_year(kind="json")),
    # DOCX and PDF are built in the background (core:export shows them)
    "reports:report-export": post(VIEWERS, report_year(kind="pdf")),
    # admin: the index only (the scoped admin has its own tests)
    "admin:index": admin_index(),
}

for _kind in ("office", "funds", "meetings", "trainings", "complaints", "accounts", "posts"):
    _writers = {OFFICER, HEAD, SUPERUSER} if _kind == "complaints" else OFFICE_KEEPERS
    _readers_denied = {p: DENIED for p in OFFICE_READERS - _writers}
    PAGES[f"operations:{_kind}-list"] = page(OFFICE_READERS, other=HIDDEN)
    PAGES[f"operations:{_kind}-create"] = (
        page(_writers, other=HIDDEN, **_readers_denied),
        post(_writers, other=HIDDEN, **_readers_denied),
    )
    PAGES[f"operations:{_kind}-edit"] = (
        page(OFFICE_READERS, pk(_kind), other=HIDDEN),
        post(_writers, pk(_kind), other=HIDDEN, **dict.fromkeys(_readers_denied, DENIED)),
    )


def agency_slug(o):
    return {"agency": o["town"].slug}


def published(**more):
    return lambda o: {"pk": o["published"].pk, **{k: v(o) for k, v in more.items()}}


PUBLIC_PAGES: dict[str, Case | tuple[Case, ...]] = {
    "portal:home": public(),
    "portal:prefs": public(302),
    # Searching for a word of A's drafts' titles finds none of them (their titles hold the
    # secret the answers are checked for; the word 待审 is in the title of the pending item).
    "portal:search": (
        public(OK, query=lambda o: {"q": "草稿"}),
        public(OK, query=lambda o: {"q": "待审"}),
    ),
    "portal:agency-home": public(),
    "portal:guide": public(),
    "portal:catalogue": public(),
    "portal:column": public(OK, lambda o: {"column": o["column"].pk}),
    "portal:item": (public(OK, published()), public(HIDDEN, pk("draft"))),
    "portal:attachment": (
        public(OK, published(attachment=lambda o: o["published_attachment"].pk)),
        public(HIDDEN, item("draft", attachment=lambda o: o["draft_attachment"].pk)),
    ),
    "portal:attachment-text": (
        public(OK, published(attachment=lambda o: o["published_attachment"].pk)),
        public(HIDDEN, item("draft", attachment=lambda o: o["draft_attachment"].pk)),
    ),
    "portal:item-by-index": public(301, lambda o: {"index_number": o["published"].index_number}),
    "portal:sitemap-page": public(),
    "portal:badge": public(HIDDEN),  # A has no badge image
    "portal:platform-feed-rss": public(),  # every agency's public items: nothing private
    "portal:platform-feed-atom": public(),
    "portal:agency-feed-rss": public(),
    "portal:agency-feed-atom": public(),
    "portal:column-feed-rss": public(OK, lambda o: {"column": o["column"].pk}),
    "portal:column-feed-atom": public(OK, lambda o: {"column": o["column"].pk}),
    "portal:sitemap": public(),
    "portal:sitemap-section": public(OK, lambda o: {"section": "items"}),
    "portal:robots": public(),
    "portal:apply": public(),
    "portal:application-status": public(),
    "portal:application-status-leave": public(405),
    "portal:application-correction": public(405),
    # Only the applicant whose status page is unlocked downloads the letters and the released
    # files of their application; never internal letters (a consultation), files not released
    # or another application's, and not through another agency's portal.
    "portal:application-letter": (
        public(HIDDEN, lambda o: {"letter": o["reply_letter"].pk, "fmt": "docx"}, applicant=OK),
        public(HIDDEN, lambda o: {"letter": o["letter"].pk, "fmt": "docx"}),
        public(
            HIDDEN, lambda o: {"agency": "taohua", "letter": o["reply_letter"].pk, "fmt": "docx"}
        ),
    ),
    "portal:application-file": (
        public(HIDDEN, lambda o: {"file": o["released_file"].pk}, applicant=OK),
        public(HIDDEN, lambda o: {"file": o["application_file"].pk}),
        public(HIDDEN, lambda o: {"agency": "taohua", "file": o["released_file"].pk}),
    ),
    "portal:report-error": public(),
    "portal:report-error-status": public(),
    "portal:service-guides": public(),
    # The matter is a draft: its guide is not public.
    "portal:service-guide": public(HIDDEN, pk("matter")),
    "portal:annual-reports": public(),
    # The report is a draft: nothing is published.
    "portal:annual-report": public(HIDDEN, report_year()),
    "portal:annual-report-download": public(HIDDEN, report_year(kind="pdf")),
}


# --- the API ----------------------------------------------------------------------------------
# Staff lists answer 200 to every token, listing only what its user may read (the test looks
# for A's secret in the answers of those who may not); naming an agency the user cannot read
# when creating is a 400; A's objects are a 404 to those who may not read them.

CROSSED = "crossed"  # B's user naming B with A's objects in the body: 400/403/404, no write
ANY = "any"  # anything but a 5xx (public forms: the answer depends on the body, not the user)
OFFICE_BLIND = frozenset({ANON, NOBODY, FOREIGN, EDITOR, REVIEWER})


def obj_id(name, key):
    return lambda o: {name: o[key].pk}


def creates(ok, *, outsiders=REFUSED, cross=False, **cells):
    """POST to a staff collection naming agency A: B's staff and users without roles get 400.
    `cross`: the body also names A's objects, which B's staff naming B must not reach."""
    cells.setdefault(FOREIGN, outsiders)
    cells.setdefault(NOBODY, outsiders)
    case = api(ok, method="POST", **cells)
    return replace(case, cross=cross)


def lists(**cells):
    return api(EVERYONE - {ANON}, **cells)


def step(ok, params, *, method="POST", **cells):
    return api(ok, params, method=method, **cells)


ITEM = "gongkai_api_catalogue_"
APP = "gongkai_api_applications_"
OPS = "gongkai_api_operations_"
MAT = "gongkai_api_matters_"
ENG = "gongkai_api_engagement_"
REP = "gongkai_api_reports_"

_app = obj_id("application_id", "application")


def _applicant(o, agency):
    return {"agency": agency, "number": o["replied"].number, "query_code": o["replied_code"]}


_office_step = {EDITOR: HIDDEN, REVIEWER: HIDDEN}


def _roster(o):
    return {"item_id": o["draft_roster"].item_id, "attachment_id": o["draft_roster"].pk}


OPERATIONS: dict[str, Case | tuple[Case, ...]] = {
    # catalogue
    ITEM + "public_item_list": api_public(),
    ITEM + "public_item_detail": (
        api_public(OK, obj_id("item_id", "published")),
        api_public(HIDDEN, obj_id("item_id", "draft")),
    ),
    ITEM + "item_list": lists(),
    ITEM + "item_create": creates(AUTHORS, other=DENIED, cross=True),  # A's column
    ITEM + "item_detail": step(VIEWERS, obj_id("item_id", "draft"), method="GET"),
    ITEM + "item_update": step(AUTHORS, obj_id("item_id", "draft"), method="PATCH"),
    ITEM + "item_submit": step(AUTHORS, obj_id("item_id", "draft")),
    ITEM + "item_approve": step(REVIEWERS, obj_id("item_id", "pending")),
    ITEM + "item_reject": step(REVIEWERS, obj_id("item_id", "pending")),
    ITEM + "item_publish": step(REVIEWERS, obj_id("item_id", "approved")),
    ITEM + "item_withdraw": step(
        REVIEWERS, obj_id("item_id", "published"), body=lambda o: {"reason": "过时"}
    ),
    # masking inside an attachment: the item's authors, as on the staff pages
    ITEM + "attachment_mask_preview": step(AUTHORS, _roster, method="GET"),
    ITEM + "attachment_mask_preview_file": step(AUTHORS, _roster, method="GET"),
    ITEM + "attachment_mask": step(AUTHORS, _roster),
    # applications
    APP + "public_submit": api_public(ANY, method="POST"),
    # The number and the query code are the credential, for that agency only.
    APP + "public_status": (
        api_public(OK, method="POST", body=lambda o: _applicant(o, "liuheng")),
        api_public(HIDDEN, method="POST", body=lambda o: _applicant(o, "taohua")),
    ),
    APP + "public_correction": api_public(ANY, method="POST"),
    APP + "application_list": lists(),
    APP + "application_register": creates(HANDLERS, outsiders=DENIED),
    APP + "application_detail": step(OFFICE_READERS, _app, method="GET", other=HIDDEN),
    APP + "application_fee_quote": step(
        OFFICE_READERS, _app, method="GET", other=HIDDEN, query=lambda o: {"schedule": "per_item"}
    ),
    APP + "application_extend": step({HEAD}, _app, **_office_step),
    APP + "consultation_close": step(
        HANDLERS,
        lambda o: {"application_id": o["application"].pk, "consultation_id": o["consultation"].pk},
        **_office_step,
    ),
    APP + "appeal_decide": step(
        HANDLERS,
        lambda o: {"application_id": o["application"].pk, "appeal_id": o["appeal"].pk},
        **_office_step,
    ),
    # operations
    OPS + "figures": api(
        OFFICE_READERS,
        query=lambda o: {"agency": o["town"].slug, "year": 2025},
        other=400,
        foreign=400,
        nobody=400,
    ),
    OPS + "post_count_create": creates(
        OFFICE_KEEPERS,
        supervisor=DENIED,
        other=REFUSED,
        cross=True,  # A's account
        body=lambda o: {"account": o["accounts"].pk},
    ),
    # matters
    MAT + "public_guide_list": api_public(),
    MAT + "public_guide_detail": api_public(HIDDEN, obj_id("matter_id", "matter")),
    MAT + "matter_list": lists(),
    MAT + "matter_create": creates(AUTHORS, other=DENIED),
    MAT + "matter_detail": step(VIEWERS, obj_id("matter_id", "matter"), method="GET"),
    MAT + "matter_update": step(AUTHORS, obj_id("matter_id", "matter"), method="PATCH"),
    MAT + "matter_publish": step(REVIEWERS, obj_id("matter_id", "matter")),
    MAT + "matter_retire": step(REVIEWERS, obj_id("matter_id", "matter")),
    # engagement
    ENG + "incident_list": lists(),
    ENG + "incident_create": creates(RECORDERS, other=DENIED),
    ENG + "incident_respond": step(RECORDERS, obj_id("incident_id", "incident")),
    ENG + "incident_close": step(RECORDERS, obj_id("incident_id", "incident")),
    ENG + "conference_list": lists(),
    ENG + "conference_create": creates(RECORDERS, other=DENIED),
    ENG + "interpretation_list": lists(),
    ENG + "interpretation_create": creates(RECORDERS, other=DENIED, cross=True),  # A's policy
    ENG + "error_report_list": lists(),
    ENG + "error_report_assign": step(
        RECORDERS, obj_id("report_id", "error_report"), body=lambda o: {"assignee": "m_officer"}
    ),
    ENG + "error_report_reply": step(
        RECORDERS, obj_id("report_id", "error_report"), body=lambda o: {"reply": "已更正"}
    ),
    ENG + "error_report_close": step(RECORDERS, obj_id("report_id", "error_report")),
    ENG + "figures": api(
        VIEWERS,
        query=lambda o: {"agency": o["town"].slug, "year": 2025},
        foreign=400,
        nobody=400,
    ),
    ENG + "public_error_report_submit": api_public(ANY, method="POST"),
    ENG + "public_error_report_status": api_public(ANY, method="POST"),
    # reports
    REP + "published_report": api_public(HIDDEN, report_year()),
    REP + "computed_report": step(VIEWERS, report_year(fmt="2021"), method="GET"),
}

for _name in (
    "application_confirm",
    "application_assign",
    "application_note",
    "correction_request",
    "correction_receive",
    "correction_lapse",
    "consultation_start",
    "fee_notify",
    "fee_pay",
    "fee_lapse",
    "application_reply",
    "application_withdraw",
    "application_archive",
    "appeal_record",
):
    OPERATIONS[APP + _name] = step(HANDLERS, _app, **_office_step)
# Values the schema cannot give: a handler of A and an outcome code.
OPERATIONS[APP + "application_assign"] = step(
    HANDLERS, _app, body=lambda o: {"handler": "m_officer"}, **_office_step
)
OPERATIONS[APP + "application_reply"] = step(
    HANDLERS, _app, body=lambda o: {"outcome": "disclosed"}, **_office_step
)
# The reply letter's sign-off (applications.reply_views): the head of the office signs or returns.
OPERATIONS[APP + "reply_draft_save"] = step(
    HANDLERS, _app, body=lambda o: {"outcome": "disclosed"}, **_office_step
)
for _name in ("reply_draft_submit", "reply_draft_issue"):
    OPERATIONS[APP + _name] = step(HANDLERS, _app, **_office_step)
for _name in ("reply_draft_sign", "reply_draft_return"):
    OPERATIONS[APP + _name] = step({HEAD}, _app, **_office_step)
for _kind in ("office", "fund", "meeting", "training", "complaint", "account", "post_count"):
    OPERATIONS[f"{OPS}{_kind}_list"] = lists()
for _kind in ("office", "fund", "meeting", "training", "account"):
    OPERATIONS[f"{OPS}{_kind}_create"] = creates(OFFICE_KEEPERS, supervisor=DENIED, other=REFUSED)
OPERATIONS[OPS + "complaint_create"] = creates(
    {OFFICER, HEAD, SUPERUSER}, supervisor=DENIED, admin=DENIED, other=REFUSED
)

# Principals whose answers must not hold A's secret, by case kind.
BLIND = {
    "default": frozenset({ANON, NOBODY, FOREIGN}),
    "office": OFFICE_BLIND,
    "public": EVERYONE | {APPLICANT},
}
