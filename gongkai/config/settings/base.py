"""Settings shared by every environment; values that differ come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gongkai.core.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parents[2]
# Runtime files (SQLite database, uploads) live outside the package: in a checkout that is
# <repo>/var, elsewhere wherever GONGKAI_VAR_DIR points.
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", PACKAGE_DIR.parent / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Environment variable {name} must be set.")
    return value


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "gongkai.core",
    "gongkai.privacy",
    "gongkai.catalogue",
    "gongkai.applications",
    "gongkai.engagement",
    "gongkai.matters",
    "gongkai.operations",
    "gongkai.reports",
    "gongkai.compliance",
    "gongkai.wording",
    "gongkai.api",
    "gongkai.search",
    "gongkai.portal",
]

MIDDLEWARE = [
    # First: the request latency it measures includes every other middleware (gongkai.core.metrics).
    "gongkai.core.metrics.RequestMetricsMiddleware",
    # The request id (X-Request-ID) on every log line of the request and on the answer.
    "gongkai.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.core.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads the URL: NUL in it is a 400 (PostgreSQL refuses it in a query).
    "gongkai.core.middleware.RefuseNulMiddleware",
    "gongkai.core.middleware.RequestContextMiddleware",
    # Public reads (portal pages, search, feeds, public API) from the replica when there is one.
    "gongkai.core.dbrouter.PublicReadsMiddleware",
    "gongkai.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells the user why they were logged out.
    "gongkai.core.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the others: a writing request and the answer it renders are one transaction
    # (gongkai.core.transactions).
    "gongkai.core.transactions.AtomicWritesMiddleware",
    # Last: turns a login refused for a lockout into the lockout page (gongkai.core.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gongkai.portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a management command share the file;
    # IMMEDIATE transactions take the write lock up front, so two requests that both read then
    # write (a login records the attempt) wait for each other instead of failing "locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A streaming replica for the public reads (gongkai.core.dbrouter): portal pages, search,
# feeds and the public API read from it; everything else, and any read in a transaction, from
# the primary. Left out while unreachable or more than GONGKAI_REPLICA_MAX_LAG_SECONDS behind,
# which each process asks at most every GONGKAI_REPLICA_CHECK_SECONDS.
GONGKAI_REPLICA_URL = os.environ.get("GONGKAI_REPLICA_URL", "")
GONGKAI_REPLICA_READS = env_bool("GONGKAI_REPLICA_READS", bool(GONGKAI_REPLICA_URL))
GONGKAI_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("GONGKAI_REPLICA_MAX_LAG_SECONDS", "30"))
GONGKAI_REPLICA_CHECK_SECONDS = float(os.environ.get("GONGKAI_REPLICA_CHECK_SECONDS", "5"))
if GONGKAI_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        GONGKAI_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    # A stopped replica must not hold a request for long: the check gives up after 2 s.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
DATABASE_ROUTERS = ["gongkai.core.dbrouter.ReplicaRouter"]

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:staff-home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Login lockout (等保 practice), by django-axes on every login page (gongkai.core.lockout):
# this many failures for one user name from one address lock that pair for the lockout period
# after the last of them; this many for any names from one address lock the address.
GONGKAI_LOGIN_MAX_FAILURES = int(os.environ.get("GONGKAI_LOGIN_MAX_FAILURES", "5"))
GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS = int(
    os.environ.get("GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS", "20")
)
GONGKAI_LOGIN_LOCKOUT = timedelta(
    minutes=int(os.environ.get("GONGKAI_LOGIN_LOCKOUT_MINUTES", "15"))
)
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = GONGKAI_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = GONGKAI_LOGIN_LOCKOUT
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "gongkai.core.lockout.LockoutHandler"
AXES_USERNAME_CALLABLE = "gongkai.core.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "gongkai.core.context.client_ip"
AXES_LOCKOUT_CALLABLE = "gongkai.core.lockout.lockout_response"
# A success clears its own failures; tries refused during a lock neither count nor extend it.
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Every failure is kept (AccessFailureLog), not only the running count (AccessAttempt).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# django-axes's defaults, stated so that gongkai.core.lockout reads them typed
AXES_USERNAME_FORM_FIELD = "username"
AXES_HTTP_RESPONSE_CODE = 429

# Staff sessions: idle timeout through a rolling cookie, plus an absolute cap.
SESSION_COOKIE_AGE = int(os.environ.get("GONGKAI_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
GONGKAI_SESSION_MAX_AGE = timedelta(hours=int(os.environ.get("GONGKAI_SESSION_MAX_HOURS", "10")))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Off: every page is in LANGUAGE_CODE whatever the browser asks (gongkai.core.middleware).
GONGKAI_BROWSER_LANGUAGE = env_bool("GONGKAI_BROWSER_LANGUAGE", False)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# The app serves MEDIA_ROOT itself only where nothing is in front of it (`make run`).
GONGKAI_SERVE_MEDIA = env_bool("GONGKAI_SERVE_MEDIA", False)
# Letters, applicants' files, catalogue attachments and staged imports: no URL maps this
# folder; views hand the files out after their permission check (gongkai/core/storage.py). In
# production nginx sends them from an `internal` location: GONGKAI_PRIVATE_ACCEL_PREFIX names
# it (README).
GONGKAI_PRIVATE_ROOT = Path(os.environ.get("GONGKAI_PRIVATE_ROOT", VAR_DIR / "private")).resolve()
GONGKAI_PRIVATE_ACCEL_PREFIX = os.environ.get("GONGKAI_PRIVATE_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "gongkai.core.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Caches. "portal" keeps rendered public pages (gongkai.portal.caching): by default in each
# process's memory, nothing to run, each gunicorn worker filling its own (a page is 6-15 kB of
# HTML). GONGKAI_CACHE_REDIS_URL (redis://host:6379/0) puts it in Redis, shared by every
# worker and host; that needs the `redis` package. Stored pages are keyed with what they show,
# so a change reaches them at once (other processes: within a second); the timeout bounds
# memory, and how long a write that bypasses the ORM (raw SQL, a queryset update()) may go
# unseen.
GONGKAI_PAGE_CACHE_SECONDS = int(os.environ.get("GONGKAI_PAGE_CACHE_SECONDS", "600"))
# Pages each process also keeps in its own memory, in front of the store (least recently used
# out; a page is 6-15 kB): size it to the pages that are read most.
GONGKAI_PAGE_CACHE_RECENT = int(os.environ.get("GONGKAI_PAGE_CACHE_RECENT", "1000"))
# How long nginx's microcache keeps an agency's pages (X-Accel-Expires) before asking again
# with their ETag. Long only behind a front whose cache key carries the agency's generation,
# rewritten by `gongkai front watch` (gongkai.portal.front; `gongkai serve` sets 600):
# elsewhere a change would show that late.
GONGKAI_FRONT_CACHE_SECONDS = int(os.environ.get("GONGKAI_FRONT_CACHE_SECONDS", "30"))
_redis_url = os.environ.get("GONGKAI_CACHE_REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "portal": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "gongkai",
            "TIMEOUT": GONGKAI_PAGE_CACHE_SECONDS,
        }
        if _redis_url
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            "TIMEOUT": GONGKAI_PAGE_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("GONGKAI_PAGE_CACHE_ENTRIES", "5000"))},
        }
    ),
}

# Only behind reverse proxies that append to X-Forwarded-For; GONGKAI_TRUSTED_PROXIES is how
# many (each appends the address it saw, so the client is that many entries from the right).
# gongkai.core.context.client_ip reads them for the audit trail, the login lockout and the
# limits on the public look-ups and submissions.
GONGKAI_TRUST_X_FORWARDED_FOR = env_bool("GONGKAI_TRUST_X_FORWARDED_FOR", False)
GONGKAI_TRUSTED_PROXIES = int(os.environ.get("GONGKAI_TRUSTED_PROXIES", "1"))
# /metrics answers these addresses or networks only (comma-separated; others get 404).
GONGKAI_METRICS_ALLOWED_IPS = env_list("GONGKAI_METRICS_ALLOWED_IPS", "127.0.0.1,::1")

# Covering-index columns (Index.include) are a PostgreSQL feature; elsewhere the plain index
# is built, which is what we want.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

GONGKAI_ATTACHMENT_MAX_BYTES = int(os.environ.get("GONGKAI_ATTACHMENT_MAX_MB", "20")) * 2**20
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20

# Background tasks (gongkai.core.tasks): "thread" runs them in a daemon thread of each process,
# "manual" leaves them to `gongkai tasks run`; a running task silent this long is taken again.
GONGKAI_TASKS_MODE = os.environ.get("GONGKAI_TASKS_MODE", "thread")
GONGKAI_TASKS_STALE_SECONDS = int(os.environ.get("GONGKAI_TASKS_STALE_SECONDS", "900"))
# a task left running that many times by a stopped process fails instead of going back to the queue
GONGKAI_TASKS_MAX_ATTEMPTS = int(os.environ.get("GONGKAI_TASKS_MAX_ATTEMPTS", "3"))
# how often the worker thread looks for stale tasks when no commit wakes it
GONGKAI_TASKS_POLL_SECONDS = float(os.environ.get("GONGKAI_TASKS_POLL_SECONDS", "60"))
# a staff export's file (gongkai.core.exports) is removed this long after it was built
GONGKAI_EXPORTS_KEEP_SECONDS = int(os.environ.get("GONGKAI_EXPORTS_KEEP_SECONDS", "86400"))
# a failed attempt is tried again after this long, doubled at each further attempt (at most 1 h)
GONGKAI_TASKS_RETRY_SECONDS = float(os.environ.get("GONGKAI_TASKS_RETRY_SECONDS", "30"))
# OCR of scans (gongkai.core.ocr): below this mean word confidence a person must check the scan;
# longer scans are refused (each page takes seconds); a page that takes longer is a failure.
GONGKAI_OCR_MIN_CONFIDENCE = float(os.environ.get("GONGKAI_OCR_MIN_CONFIDENCE", "70"))
GONGKAI_OCR_MAX_PAGES = int(os.environ.get("GONGKAI_OCR_MAX_PAGES", "50"))
GONGKAI_OCR_PAGE_TIMEOUT = int(os.environ.get("GONGKAI_OCR_PAGE_TIMEOUT", "120"))
GONGKAI_OCR_TESSERACT = os.environ.get("GONGKAI_OCR_TESSERACT", "tesseract")
# the resolution a PDF page is rendered at for OCR when the scan does not tell its own
GONGKAI_OCR_DPI = int(os.environ.get("GONGKAI_OCR_DPI", "300"))

# The reports' batch check (gongkai.reports.services_batch): the largest ZIP of a district's
# reports (dozens of PDFs and Word files) it takes.
GONGKAI_REPORT_CHECK_MAX_BYTES = int(os.environ.get("GONGKAI_REPORT_CHECK_MAX_MB", "100")) * 2**20

# Reply letters (gongkai.applications.letters): whoever drafted a reply does not sign it off
# (four eyes); with this on, an agency with a single 工作机构负责人 lets that head sign off a
# reply they drafted, since no one else could (off: a disclosure officer revises it first).
GONGKAI_REPLY_SINGLE_HEAD_SIGNS_OWN = env_bool("GONGKAI_REPLY_SINGLE_HEAD_SIGNS_OWN", False)

# The compliance monitor (gongkai.compliance). The public address the portal is served at, which
# the site probe visits (站点无法访问; empty: no probe); the link checker's answer timeout, its
# pause between two requests to one host and its most links per run; links rechecked after.
GONGKAI_PUBLIC_BASE_URL = os.environ.get("GONGKAI_PUBLIC_BASE_URL", "")
GONGKAI_LINKCHECK_TIMEOUT = float(os.environ.get("GONGKAI_LINKCHECK_TIMEOUT", "15"))
GONGKAI_LINKCHECK_HOST_DELAY = float(os.environ.get("GONGKAI_LINKCHECK_HOST_DELAY", "1"))
GONGKAI_LINKCHECK_MAX_PER_RUN = int(os.environ.get("GONGKAI_LINKCHECK_MAX_PER_RUN", "500"))
GONGKAI_LINKCHECK_RECHECK_HOURS = int(os.environ.get("GONGKAI_LINKCHECK_RECHECK_HOURS", "24"))

# Search (gongkai.search). The backend follows the database (PostgreSQL or SQLite); a dotted
# path here chooses another. A document keeps this many characters of an item's text; the
# counts per column stop at COUNT_CAP ("10,000+"); only MAX_RESULTS hits are ranked and paged;
# the dense ranking looks at DENSE_POOL candidates when the matches are many.
GONGKAI_SEARCH_BACKEND = os.environ.get("GONGKAI_SEARCH_BACKEND", "")
GONGKAI_SEARCH_MAX_CHARS = int(os.environ.get("GONGKAI_SEARCH_MAX_CHARS", "100000"))
GONGKAI_SEARCH_COUNT_CAP = int(os.environ.get("GONGKAI_SEARCH_COUNT_CAP", "10000"))
GONGKAI_SEARCH_MAX_RESULTS = int(os.environ.get("GONGKAI_SEARCH_MAX_RESULTS", "1000"))
GONGKAI_SEARCH_DENSE_POOL = int(os.environ.get("GONGKAI_SEARCH_DENSE_POOL", "200"))

X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles from our own static files only, no
# inline script, style or handler anywhere (the templates have none; keep it so). Data URLs
# for images only (the empty favicon).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs a device or a payment API.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True

# Logs on stderr (gongkai.core.logs): one JSON object a line with the request id
# (GONGKAI_LOG_FORMAT=json, production's default) or plain text; personal data masked in errors.
GONGKAI_LOG_FORMAT = os.environ.get("GONGKAI_LOG_FORMAT", "text")
LOGGING = logging_config(fmt=GONGKAI_LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "WARNING"))
