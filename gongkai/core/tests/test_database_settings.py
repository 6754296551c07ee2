"""Production keeps database connections between requests and checks one before reusing it, so
a restart of the database costs no request once it is back (bench/fault_load.py measures it)."""

import json
import os
import subprocess
import sys


def test_production_checks_a_kept_connection_before_reusing_it(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.production",
        "SECRET_KEY": "x7#Lq" * 12,
        "GONGKAI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://gongkai@db.example.cn:5432/gongkai",
    }
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "db = settings.DATABASES['default']; "
        "print(json.dumps([db.get('CONN_MAX_AGE'), db.get('CONN_HEALTH_CHECKS')]))"
    )
    result = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    max_age, health_checks = json.loads(result.stdout.strip().splitlines()[-1])
    assert max_age > 0
    assert health_checks is True
