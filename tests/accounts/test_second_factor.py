"""A second factor for every officer and administrator (issue #17 item 1, TESTING 29): the
password alone lets nobody in, a code works once, guessed codes are throttled, and an
officer or administrator without one is sent to enrol before the desk or admin."""

import re
from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone

from enquiries.models import AuditAction, AuditEvent
from tests import logins, makers

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/"


def _reauthenticate(client: Client) -> None:
    """allauth asks for the password again before any change to the factors."""
    response = client.post("/accounts/reauthenticate/", {"password": makers.PASSWORD})
    assert response.status_code == 302


def _enrol_totp(client: Client) -> str:
    """Through allauth's own page, as a person with an authenticator app: the secret the page
    shows, then the app's code. Returns the secret."""
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    _reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    assert secret, "no secret on the activation page"
    response = client.post(
        "/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret.group(1)).now()}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret.group(1)


def test_the_password_alone_lets_nobody_in(client, officer):
    response = logins.post_password(client, username="officer")
    assert response["Location"] == logins.SECOND_FACTOR_URL
    assert client.get("/desk/")["Location"].startswith("/accounts/login/")
    assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")


def test_a_wrong_code_is_refused_and_audited_by_user_id(client, officer):
    logins.post_password(client, username="officer")
    wrong = f"{(int(makers.totp_code()) + 1) % 1_000_000:06d}"
    response = client.post(logins.SECOND_FACTOR_URL, {"code": wrong})
    assert response.status_code == 200
    assert client.get("/desk/").status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.detail == {"user": officer.pk, "second_factor": "totp"}
    assert wrong not in str(event.detail)


def test_a_code_works_once(client, officer, stopped_clock):
    code = makers.totp_code()
    assert logins.log_in(client, username="officer", code=code)["Location"] == "/desk/"
    client.post("/accounts/logout/")
    again = Client()
    response = logins.log_in(again, username="officer", code=code)
    assert response.status_code == 200  # the code page again
    assert again.get("/desk/").status_code == 302
    # The next code, thirty seconds on, works.
    stopped_clock.shift(timedelta(seconds=30))
    assert logins.log_in(Client(), username="officer")["Location"] == "/desk/"


def test_guessed_codes_are_throttled_and_the_real_user_gets_in_after_the_cool_off(
    client, officer, stopped_clock
):
    logins.post_password(client, username="officer")
    right = makers.totp_code()
    wrong = [f"{(int(right) + n) % 1_000_000:06d}" for n in range(100, 106)]
    for code in wrong:
        client.post(logins.SECOND_FACTOR_URL, {"code": code})
    refused = client.post(logins.SECOND_FACTOR_URL, {"code": right})
    assert refused.status_code == 200
    assert client.get("/desk/").status_code == 302
    stopped_clock.shift(timedelta(minutes=6))
    assert logins.log_in(Client(), username="officer")["Location"] == "/desk/"


def test_an_administrator_goes_through_the_same_login_and_second_factor(client):
    makers.make_user(username="kari", is_staff=True, is_superuser=True)
    sent = client.get("/admin/login/?next=/admin/")["Location"]
    assert sent == "/accounts/login/?next=%2Fadmin%2F"
    response = logins.log_in(client, username="kari", next_url="/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("who", "desk", "admin"),
    [
        ({"username": "officer", "officer": True}, 200, 302),  # admin: not staff
        ({"username": "kari", "is_staff": True}, 403, 200),  # desk: not an officer
        ({"username": "root", "is_superuser": True, "is_staff": True}, 200, 200),
    ],
)
def test_without_a_second_factor_officers_and_administrators_are_sent_to_enrol(
    client, who, desk, admin
):
    username = who.pop("username")
    if who.pop("officer", False):
        makers.make_officer(username=username, second_factor=False)
    else:
        makers.make_user(username=username, second_factor=False, **who)
    response = logins.log_in(client, username=username)
    assert response.status_code == 302  # the password is enough to reach the enrolment
    for page in ["/desk/", "/desk/log/", "/admin/", "/admin/auth/user/"]:
        assert client.get(page)["Location"] == ENROL, page
    enrolment = client.get(ENROL)
    assert enrolment.status_code == 200
    assert "Set up a second factor" in enrolment.content.decode() or "andre faktor" in (
        enrolment.content.decode()
    )

    _enrol_totp(client)
    assert client.get("/desk/").status_code == desk
    assert client.get("/admin/").status_code == admin
    assert Authenticator.objects.filter(user__username=username, type="totp").exists()


def test_a_user_who_may_not_use_the_desk_is_not_asked_to_enrol(client):
    makers.make_user(username="outsider", second_factor=False)
    logins.log_in(client, username="outsider")
    assert client.get("/desk/").status_code == 403


def test_until_the_roll_out_date_an_officer_without_one_is_reminded_not_stopped(
    client, settings, stopped_clock
):
    settings.PRESSDESK_SECOND_FACTOR_FROM = timezone.localdate() + timedelta(days=14)
    makers.make_officer(second_factor=False)
    logins.log_in(client, username="officer")
    page = client.get("/desk/")
    assert page.status_code == 200
    assert 'href="/accounts/2fa/"' in page.content.decode()
    stopped_clock.shift(timedelta(days=14))
    later = Client()
    logins.log_in(later, username="officer")
    assert later.get("/desk/")["Location"] == ENROL


def test_a_recovery_code_works_once(client, officer, stopped_clock):
    logins.log_in(client, username="officer")
    _reauthenticate(client)
    assert client.post("/accounts/2fa/recovery-codes/generate/").status_code == 302
    codes_page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    codes = re.findall(r"\b([0-9a-f]{8})\b", codes_page)
    assert len(codes) == 10, codes_page[:3000]
    client.post("/accounts/logout/")

    first = Client()
    assert logins.log_in(first, username="officer", code=codes[0])["Location"] == "/desk/"
    again = Client()
    assert logins.log_in(again, username="officer", code=codes[0]).status_code == 200
    assert again.get("/desk/").status_code == 302
    assert logins.log_in(Client(), username="officer", code=codes[1])["Location"] == "/desk/"


def test_admin_shows_who_has_no_second_factor_yet(client):
    makers.make_officer(username="enrolled")
    makers.make_officer(username="pending", second_factor=False)
    makers.make_user(username="kari", is_staff=True, is_superuser=True)
    logins.log_in(client, username="kari", next_url="/admin/")
    listing = client.get("/admin/auth/user/").content.decode()
    assert "Second factor" in listing or "Andre faktor" in listing
    without = client.get("/admin/auth/user/?second_factor=no").content.decode()
    assert ">pending</a>" in without
    assert ">enrolled</a>" not in without
    assert ">kari</a>" not in without
    holding = client.get("/admin/auth/user/?second_factor=yes").content.decode()
    assert ">enrolled</a>" in holding
    assert ">pending</a>" not in holding


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "x" * 100_000, "\u202e", ""])
def test_odd_values_in_the_login_and_code_forms_are_form_errors(client, officer, value):
    response = client.post("/accounts/login/", {"login": value, "password": value})
    assert response.status_code == 200
    logins.post_password(client, username="officer")
    response = client.post(logins.SECOND_FACTOR_URL, {"code": value})
    assert response.status_code == 200
    assert client.get("/desk/").status_code == 302
