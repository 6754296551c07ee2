"""Django settings for the portal benchmark's server: production settings, plus a URLconf that
adds the framework floor (see portal_urls.py). Configured from the environment like production
(SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, SECURE_SSL_REDIRECT=false for plain HTTP on loopback,
GONGKAI_CACHE_REDIS_URL); BENCH_PAGE_CACHE=off stores no rendered page (`--page-cache off`).
"""

import os

from gongkai.config.settings.production import *  # noqa: F403

ROOT_URLCONF = "portal_urls"
# The production settings name static files by their manifest: the bench collects them into a
# folder of its own (portal_bench.py, collectstatic before the server starts).
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405

if os.environ.get("BENCH_PAGE_CACHE") == "off":
    CACHES = {
        **CACHES,  # noqa: F405
        "portal": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
