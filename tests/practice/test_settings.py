"""The settings module as an operator meets it: environment in, safe configuration out."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Each test starts Django in a fresh Python process with its own environment (1-3 s each).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "k" * 20 + "-a-real-random-secret-for-tests-" + "z" * 20
INHERITED_ENV_DROPPED = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "TESTING",
    "PRACTICE_TIME_ZONE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser fixture; never in a deployment
)


def run_django(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {key: value for key, value in os.environ.items() if key not in INHERITED_ENV_DROPPED}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "practice.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {key: value for key, value in os.environ.items() if key not in INHERITED_ENV_DROPPED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_embedded_defaults_need_no_server(tmp_path):
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, s.DEBUG)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "practicefs://",
        "django.core.mail.backends.console.EmailBackend",
        "True",
    ]


def test_environment_selects_real_services():
    result = run_django(
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], "
        "s.CELERY_BROKER_URL, s.EMAIL_HOST, s.EMAIL_PORT, s.CACHES['default']['BACKEND'])",
        DATABASE_URL="postgres://u:p@db.internal:5432/practice",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp://127.0.0.1:1025",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "practice.core.postgresql",
        "redis://cache.internal:6379/0",
        "127.0.0.1",
        "1025",
        "practice.core.cache.RedisCache",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "off", "ALLOWED_HOSTS": "practice.example"}, "set SECRET_KEY"),
        (
            {"DEBUG": "off", "SECRET_KEY": "short", "ALLOWED_HOSTS": "practice.example"},
            "set SECRET_KEY",
        ),
        ({"DEBUG": "off", "SECRET_KEY": REAL_KEY}, "set ALLOWED_HOSTS"),
        (
            {"DEBUG": "off", "SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "practice.example"},
            "set SITE_URL",
        ),
    ],
)
def test_production_refuses_to_start_without_real_secrets(env, message):
    result = run_django("pass", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_deploy_check_is_clean_in_production():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="off",
        SECRET_KEY=REAL_KEY,
        ALLOWED_HOSTS="practice.example",
        SITE_URL="https://practice.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_forwarded_proto_is_trusted_only_behind_a_declared_proxy():
    production = {
        "DEBUG": "off",
        "SECRET_KEY": REAL_KEY,
        "ALLOWED_HOSTS": "practice.example",
        "SITE_URL": "https://practice.example",
    }
    show = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"

    assert run_django(show, **production).stdout.strip() == "None"
    behind_proxy = run_django(show, **production, BEHIND_TLS_PROXY="on").stdout.strip()
    assert behind_proxy == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_practice_name_with_a_comma_still_makes_one_sender_address():
    result = run_django(
        "from email.utils import getaddresses; from django.conf import settings as s; "
        "print(getaddresses([s.DEFAULT_FROM_EMAIL])); print(getaddresses([s.SERVER_EMAIL]))",
        PRACTICE_NAME="Strong Bones PT, LLC",
        PRACTICE_EMAIL="hello@strongbones.example",
    )
    assert result.returncode == 0, result.stderr
    one = "[('Strong Bones PT, LLC', 'hello@strongbones.example')]"
    assert result.stdout.splitlines() == [one, one]


@pytest.mark.parametrize(
    "sender", ["Strong Bones PT, LLC <hello@strongbones.example>", "not an address"]
)
def test_a_sender_that_is_not_one_address_is_refused_with_a_hint(sender):
    result = run_django("pass", DEFAULT_FROM_EMAIL=sender)
    assert result.returncode != 0
    assert "DEFAULT_FROM_EMAIL" in result.stderr
    assert "in double quotes" in result.stderr


def test_the_outbox_sweep_and_lease_come_from_the_environment():
    result = run_django(
        "from django.conf import settings as s; "
        "sweep = s.CELERY_BEAT_SCHEDULE['outbox-sweep']; "
        "print(s.OUTBOX_SWEEP_AFTER, s.OUTBOX_LEASE_SECONDS, "
        "sweep['schedule'].total_seconds(), sweep['options']['expires'])",
        OUTBOX_SWEEP_AFTER="30",
        OUTBOX_LEASE_SECONDS="600",
        OUTBOX_SWEEP_INTERVAL="15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["30", "600", "15.0", "15"]


def test_a_lease_shorter_than_the_task_time_limit_is_refused():
    result = run_django("pass", OUTBOX_LEASE_SECONDS="60")
    assert result.returncode != 0
    assert "OUTBOX_LEASE_SECONDS" in result.stderr


def test_the_client_address_trusts_a_proxy_only_when_declared_with_its_count():
    show = "from django.conf import settings as s; print(s.BEHIND_TLS_PROXY, s.TRUSTED_PROXY_COUNT)"

    assert run_django(show).stdout.split() == ["False", "1"]
    declared = run_django(show, BEHIND_TLS_PROXY="on", TRUSTED_PROXY_COUNT="2")
    assert declared.stdout.split() == ["True", "2"]
    refused = run_django("pass", BEHIND_TLS_PROXY="on", TRUSTED_PROXY_COUNT="0")
    assert refused.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in refused.stderr


def test_production_api_answers_browsers_with_json_not_the_browsable_api(tmp_path):
    """DRF's browsable API pages carry inline script and style, which the CSP refuses."""
    production = {
        "DEBUG": "off",
        "SECRET_KEY": REAL_KEY,
        "ALLOWED_HOSTS": "practice.example",
        "SITE_URL": "https://practice.example",
        "VAR_DIR": str(tmp_path),
    }
    get_root = (
        "from django.core.management import call_command; from django.test import Client; "
        "call_command('migrate', verbosity=0); "
        "r = Client().get('/api/v1/', HTTP_ACCEPT='text/html,*/*;q=0.8', "
        "HTTP_HOST='practice.example', secure=True); "
        "print(r.status_code, r['Content-Type']); print(r.content.decode()[:200])"
    )

    result = run_django(get_root, **production)

    assert result.returncode == 0, result.stderr
    status, body = result.stdout.split("\n", 1)
    assert status == "200 application/json", body
    assert '"practice":' in body
