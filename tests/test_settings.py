"""Production settings: what they refuse, and that Django's deployment check is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "k3y-" + "x7Qm9" * 12,
    "ALLOWED_HOSTS": "presse.helseetaten.example",
    "DEBUG": "false",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "EMAIL_URL": "smtp+tls://presse:secret@smtp.helseetaten.example:587",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Only what a production host would have: no test-only switches from this process.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION
        and k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PRESSDESK_SSL_REDIRECT", "PRESSDESK_VAR_DIR"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("PRESSDESK_SESSION_IDLE_SECONDS", "soon", "whole number"),
        ("EMAIL_URL", "carrier-pigeon://x", "EMAIL_URL must look like"),
        ("PRESSDESK_SECOND_FACTOR_FROM", "15.01.2027", "must be a date (YYYY-MM-DD)"),
        ("PRESSDESK_OIDC_SERVER_URL", "https://login.microsoftonline.com/t/v2.0", "CLIENT_ID"),
    ],
)
def test_a_value_it_does_not_understand_stops_the_start(name, value, reason):
    result = _manage("check", env={**PRODUCTION, name: value})
    assert result.returncode != 0
    assert reason in result.stderr


def test_single_sign_on_is_configured_from_the_environment():
    env = {
        **PRODUCTION,
        "PRESSDESK_OIDC_SERVER_URL": "https://login.microsoftonline.com/tenant-id/v2.0/",
        "PRESSDESK_OIDC_CLIENT_ID": "app-id",
        "PRESSDESK_OIDC_CLIENT_SECRET": "app-secret",
        "PRESSDESK_OIDC_OFFICER_GROUPS": "group-a, group-b",
        "PRESSDESK_SECOND_FACTOR_FROM": "2027-01-15",
    }
    code = (
        "from django.conf import settings as s; "
        "(app,) = s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS']; "
        "print(app['provider_id'], app['client_id'], app['settings']['server_url'], "
        "app['settings']['token_auth_method'], app['settings']['oauth_pkce_enabled']); "
        "print(s.PRESSDESK_OIDC_OFFICER_GROUPS, [str(v) for v in s.SECURE_CSP['form-action']]); "
        "print(s.PRESSDESK_SECOND_FACTOR_FROM)"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "entra app-id https://login.microsoftonline.com/tenant-id/v2.0 client_secret_post True",
        "['group-a', 'group-b'] [\"'self'\", 'https://login.microsoftonline.com']",
        "2027-01-15",
    ]
    bare = (
        "from django.conf import settings as s; "
        "print(s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'], "
        "[str(v) for v in s.SECURE_CSP['form-action']])"
    )
    without = _manage("shell", "--no-imports", "-c", bare, env=PRODUCTION)
    assert without.stdout.strip() == "[] [\"'self'\"]", without.stderr


def test_email_url_becomes_mailers():
    from pressdesk.env import mailers_from_url

    mailers = mailers_from_url("smtp+tls://presse:p%40ss@smtp.example:2525", timeout=5)
    assert mailers["default"]["OPTIONS"] == {
        "host": "smtp.example",
        "port": 2525,
        "username": "presse",
        "password": "p@ss",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 5,
    }
    assert "console" in mailers_from_url("", timeout=5)["default"]["BACKEND"]


def test_the_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _ in settings.LANGUAGES] == ["nb", "en"]


@pytest.mark.parametrize(
    ("env", "var_dir"),
    [
        ({}, ROOT / "var"),  # a checkout: its own var/ (an installed wheel: .ci/check_wheel.py)
        ({"PRESSDESK_VAR_DIR": "/srv/pressdesk"}, Path("/srv/pressdesk")),
    ],
)
def test_runtime_files_live_in_the_var_dir(env, var_dir):
    show = "from django.conf import settings as s; print(s.VAR_DIR, s.STATIC_ROOT)"
    result = _manage("shell", "--no-imports", "-c", show, env={**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(var_dir), str(var_dir / "static")]


def test_tls_and_credentials_pass_through_the_database_and_redis_urls():
    env = {
        **PRODUCTION,
        "DATABASE_URL": "postgres://desk:s3cret@db.example:5432/pressdesk?sslmode=verify-full"
        "&sslrootcert=/etc/ssl/certs/ca.pem",
        "REDIS_URL": "rediss://desk:s3cret@cache.example:6380/0?ssl_cert_reqs=required",
    }
    shown = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['USER'], d['PASSWORD'], d['OPTIONS']['sslmode'], d['OPTIONS']['sslrootcert']); "
        "print(s.CACHES['default']['LOCATION']); print(s.CELERY_BROKER_URL)",
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    database, cache, broker = shown.stdout.splitlines()[-3:]
    assert database == "desk s3cret verify-full /etc/ssl/certs/ca.pem"
    assert cache == broker == env["REDIS_URL"]


@pytest.mark.parametrize(
    ("url", "extra", "starts"),
    [
        ("http://archive.helseetaten.example/foi", {}, False),
        (
            "http://archive.helseetaten.example/foi",
            {"PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP": "true"},
            True,
        ),
        ("https://archive.helseetaten.example/foi", {}, True),
    ],
)
def test_production_refuses_a_plain_http_webhook(url, extra, starts):
    env = {
        **PRODUCTION,
        "PRESSDESK_FOI_BACKEND": "webhook",
        "PRESSDESK_FOI_WEBHOOK_URL": url,
        "PRESSDESK_FOI_WEBHOOK_SECRET": "s3cret-" * 5,
        **extra,
    }
    result = _manage("check", env=env)
    assert (result.returncode == 0) is starts, result.stderr[-500:]
    if not starts:
        assert "https://" in result.stderr
