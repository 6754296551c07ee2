"""Development and demo settings: the embedded SQLite database under var/."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, env_list

VAR_DIR.mkdir(parents=True, exist_ok=True)

# Off by default: the demo shows the site's own error pages, not Django's debug page.
DEBUG = env_bool("DEBUG", False)
GONGKAI_SERVE_MEDIA = env_bool("GONGKAI_SERVE_MEDIA", True)
SECRET_KEY = SECRET_KEY or "django-insecure-local-only-not-for-production"  # noqa: F405, S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
(VAR_DIR / "static").mkdir(exist_ok=True)
