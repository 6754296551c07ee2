"""Production settings: everything secret or host-specific must come from the environment."""

from .base import *  # noqa: F403
from .base import env_bool, env_required

SECRET_KEY = env_required("SECRET_KEY")
DATABASES["default"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE") or 60  # noqa: F405
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
