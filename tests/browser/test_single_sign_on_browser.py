"""Single sign-on end to end (issue #17 item 3) against a real OpenID Connect provider on
loopback: django-oauth-toolkit in its own project and process (tests/oidc_provider), with an
RSA key made here, PKCE and a confidential client. A member of the provider's press group
becomes a press officer and works on the desk with the provider's second factor standing
for ours; someone outside that group gets no account."""

import os
import secrets
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from enquiries.models import AuditAction, AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "idp-password-for-tests"


def _free_port() -> int:
    for _ in range(50):
        port = 26000 + secrets.randbelow(1000)
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail("no free port in 26000-26999")


@pytest.fixture
def provider(tmp_path, live_server, settings):  # type: ignore[no-untyped-def]
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "oidc.key"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    port = _free_port()
    client_id, client_secret = "pressdesk-test", secrets.token_urlsafe(24)
    callback = f"{live_server.url}/accounts/oidc/entra/login/callback/"
    env = {
        **os.environ,
        "PROVIDER_DB": str(tmp_path / "provider.sqlite3"),
        "PROVIDER_KEY": str(key_file),
        "PROVIDER_PASSWORD": PASSWORD,
        "PROVIDER_CLIENT_ID": client_id,
        "PROVIDER_CLIENT_SECRET": client_secret,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), callback],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        base = f"http://127.0.0.1:{port}"
        settings.SESSION_COOKIE_SECURE = False
        settings.CSRF_COOKIE_SECURE = False
        settings.PRESSDESK_OIDC_OFFICER_GROUPS = ["presse-vakt"]
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": "entra",
                        "name": "Entra ID (test)",
                        "client_id": client_id,
                        "secret": client_secret,
                        "settings": {
                            "server_url": f"{base}/o",
                            "token_auth_method": "client_secret_post",
                            "oauth_pkce_enabled": True,
                            "scope": ["openid", "profile", "email"],
                        },
                    }
                ]
            }
        }
        settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", base]}
        yield tmp_path / "provider.sqlite3"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _sign_in_at_the_provider(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.click("#sso-entra")
    expect(page.locator("#idp-login")).to_be_visible()
    assert urlsplit(page.url).hostname == "127.0.0.1"  # the provider's own page
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#idp-login")


def test_a_member_of_the_providers_press_group_logs_in_as_an_officer(
    page: Page, provider: Path, live_server
):
    _sign_in_at_the_provider(page, live_server.url, "pia")
    expect(page).to_have_url(f"{live_server.url}/desk/")  # no enrolment: the provider's factor

    pia = User.objects.get(email="pia.presse@helsedir.no")
    assert pia.groups.filter(name="Press officers").exists()
    assert not pia.has_usable_password()  # only the provider lets her in
    assert not Authenticator.objects.filter(user=pia).exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=pia).count() == 1


def test_someone_outside_the_press_group_gets_no_account(
    browser: Browser, provider: Path, live_server
):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    _sign_in_at_the_provider(page, live_server.url, "ola")
    expect(page.locator("main")).to_contain_text("closed")
    assert not User.objects.filter(email="ola.ansatt@helsedir.no").exists()
    page.goto(f"{live_server.url}/desk/")
    assert "/accounts/login/" in page.url
    context.close()


def test_leaving_the_providers_press_group_takes_the_desk_away_at_the_next_login(
    page: Page, provider: Path, live_server
):
    _sign_in_at_the_provider(page, live_server.url, "pia")
    expect(page).to_have_url(f"{live_server.url}/desk/")
    # At the provider, Pia leaves the press group; she logs in again.
    with sqlite3.connect(provider) as idp_database:
        idp_database.execute("DELETE FROM auth_user_groups")
    page.context.clear_cookies()
    _sign_in_at_the_provider(page, live_server.url, "pia")

    pia = User.objects.get(email="pia.presse@helsedir.no")
    assert not pia.groups.filter(name="Press officers").exists()
    response = page.goto(f"{live_server.url}/desk/")
    assert response is not None
    assert response.status == 403
