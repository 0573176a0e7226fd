"""Production mode (DEBUG off): refuses insecure configuration; with a proper one, `check --deploy` is clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def _env(**overrides: str) -> dict[str, str]:
    # A clean slate: nothing from the test run or a developer's shell decides the outcome.
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR"}}
    return {**keep, "DJANGO_SETTINGS_MODULE": "fincoach.settings", "PYTHONPATH": str(ROOT), **overrides}


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-secret-for-the-test-only-" + "y" * 20,
    "ALLOWED_HOSTS": "fincoach.example.com",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
}


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must list"),
        ("FIELD_ENCRYPTION_KEYS", "FIELD_ENCRYPTION_KEYS must hold"),
    ],
)
def test_production_refuses_to_start_without_a_secure_setting(missing, message):
    env = _env(**{k: v for k, v in PRODUCTION.items() if k != missing})

    result = _run("import django; django.setup()", env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_the_development_secret_key():
    result = _run("import django; django.setup()", _env(**{**PRODUCTION, "SECRET_KEY": "short"}))

    assert "SECRET_KEY must be set to a random value" in result.stderr


def test_production_turns_on_https_protections():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, 'session': s.SESSION_COOKIE_SECURE,"
        "'csrf': s.CSRF_COOKIE_SECURE, 'proxy': s.SECURE_PROXY_SSL_HEADER, 'verify': s.ACCOUNT_EMAIL_VERIFICATION,"
        "'log': s.LOGGING['handlers']['console']['formatter']}))"
    )
    result = _run(code, _env(**PRODUCTION))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "ssl": True,
        "hsts": 31536000,
        "session": True,
        "csrf": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "verify": "mandatory",
        "log": "json",
    }


def test_check_deploy_is_clean_with_a_proper_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit():
    """JIT compiling only slows fincoach's queries (a quarter of a second on each of a large import's checks)."""
    from django.db import connection

    from fincoach.testing.services import require_postgres

    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
