"""The second factor in a real browser (issue #17 item 1): an officer without one is sent to
enrol an authenticator app, logs out and in with password and code, and a recovery code
works once; a passkey is enrolled and then logs in by itself, through Chromium's virtual
authenticator (CDP WebAuthn). Under the CSP, with no violation."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests import makers
from tests.browser.csp import violations, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def http_site(settings, live_server):  # type: ignore[no-untyped-def]
    """The live server speaks plain HTTP on localhost: cookies without Secure, and passkeys
    for this origin (a browser allows WebAuthn on http://localhost, never on an IP)."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PRESSDESK_PUBLIC_URL = live_server.url
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    return live_server.url


def _password(page: Page, site: str, username: str = "officer") -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", makers.PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()


def _code(page: Page, code: str) -> None:
    expect(page).to_have_url(f"{page.url.split('/accounts/')[0]}/accounts/2fa/authenticate/")
    page.fill("#id_code", code)
    page.locator("form[action='/accounts/2fa/authenticate/'] button[type=submit]").first.click()


def _log_out(page: Page) -> None:
    page.locator("header form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()


def _reauthenticate_if_asked(page: Page) -> None:
    if "/accounts/reauthenticate/" in page.url:
        page.fill("#id_password", makers.PASSWORD)
        page.locator("main form button[type=submit]").first.click()


def test_an_officer_enrols_an_authenticator_app_then_logs_in_with_a_code_and_a_recovery_code(
    page: Page, http_site: str
):
    makers.make_officer(second_factor=False)
    console = watch_csp(page)

    _password(page, http_site)
    # Sent to enrol before the desk.
    expect(page).to_have_url(f"{http_site}/accounts/2fa/")
    page.goto(f"{http_site}/accounts/2fa/totp/activate/")
    _reauthenticate_if_asked(page)
    expect(page).to_have_url(f"{http_site}/accounts/2fa/totp/activate/")
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()  # the QR code
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    # The recovery codes, shown once enrolled.
    expect(page).to_have_url(f"{http_site}/accounts/2fa/recovery-codes/")
    recovery_codes = page.input_value("#recovery_codes").split()
    assert len(recovery_codes) == 10
    page.goto(f"{http_site}/desk/")
    expect(page).to_have_url(f"{http_site}/desk/")
    _log_out(page)

    # Password, then the app's code.
    _password(page, http_site)
    _code(page, pyotp.TOTP(secret).now())
    expect(page).to_have_url(f"{http_site}/desk/")
    _log_out(page)

    # A recovery code instead of the app: once.
    _password(page, http_site)
    _code(page, recovery_codes[0])
    expect(page).to_have_url(f"{http_site}/desk/")
    _log_out(page)
    _password(page, http_site)
    _code(page, recovery_codes[0])
    expect(page).to_have_url(f"{http_site}/accounts/2fa/authenticate/")
    expect(page.locator(".invalid-feedback, .alert-danger, .errorlist").first).to_be_visible()
    page.goto(f"{http_site}/desk/")
    assert not page.url.endswith("/desk/")  # still asked for the second factor

    assert violations(page, console) == []


def test_an_officer_enrols_a_passkey_and_logs_in_with_it_alone(page: Page, http_site: str):
    officer = makers.make_officer()
    console = watch_csp(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    _password(page, http_site)
    _code(page, makers.totp_code())
    expect(page).to_have_url(f"{http_site}/desk/")
    page.goto(f"{http_site}/accounts/2fa/webauthn/add/")
    _reauthenticate_if_asked(page)
    expect(page).to_have_url(f"{http_site}/accounts/2fa/webauthn/add/")
    page.fill("#id_name", "Bærbar")
    page.check("#id_passwordless")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    passkey = Authenticator.objects.get(user=officer, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().is_passwordless
    credentials = cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]}
    )
    assert len(credentials["credentials"]) == 1
    assert credentials["credentials"][0]["rpId"] == "localhost"
    _log_out(page)

    # No username, no password, no code: the passkey (with user verification) is both.
    page.goto(f"{http_site}/accounts/login/")
    page.click("#passkey_login")
    expect(page).to_have_url(f"{http_site}/desk/")

    assert violations(page, console) == []
