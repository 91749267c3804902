"""Throttled guessing on every login form (TESTING 29, 43): 20 wrong passwords → 429; the
right password is refused during the cool-off, from any client, and let in after it. The
admin has no password form of its own: it sends to the same login, which comes back to it."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from enquiries.models import AuditAction, AuditEvent
from tests import logins, makers

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"
# The login form as the desk's login page and as the admin's sends to it.
LOGIN_FORMS = ["/accounts/login/", "/accounts/login/?next=/admin/"]
LOGIN = "/accounts/login/"
PASSWORD_ACCEPTED = 302  # on to the second factor


def _try(url: str, *, username: str, password: str, address: str) -> int:
    client = Client(REMOTE_ADDR=address)
    response = client.post(url, {"login": username, "password": password})
    if response.status_code == PASSWORD_ACCEPTED:
        assert response["Location"].startswith(logins.SECOND_FACTOR_URL)
    return response.status_code


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return makers.make_officer(username="kari", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_twenty_wrong_passwords_are_throttled_until_the_cool_off_passes(url, admin_user, settings):
    answers = [
        _try(url, username="kari", password=f"wrong-{n}", address=ATTACKER) for n in range(20)
    ]
    assert answers[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[-1] == 429
    # The account is locked: the right password from the office is refused too …
    assert _try(url, username="kari", password=makers.PASSWORD, address=OFFICE) == 429
    # … and the attacker's address is locked for every account.
    makers.make_user(username="other", is_staff=True)
    assert _try(url, username="other", password=makers.PASSWORD, address=ATTACKER) == 429

    # Twenty failures is twice the limit: the cool-off has doubled.
    later = timezone.now() + timedelta(seconds=2 * settings.PRESSDESK_LOGIN_COOLOFF_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        assert (
            _try(url, username="kari", password=makers.PASSWORD, address=OFFICE)
            == PASSWORD_ACCEPTED
        )


def test_the_admin_login_takes_no_password_and_sends_to_the_one_login(admin_user):
    client = Client(REMOTE_ADDR=ATTACKER)
    response = client.post("/admin/login/", {"username": "kari", "password": makers.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Flogin%2F"
    assert client.get("/admin/").status_code == 302  # nobody logged in
    assert AccessAttempt.objects.count() == 0  # nothing even checked


def test_the_cool_off_grows_while_the_guessing_goes_on(admin_user, settings):
    base = timedelta(seconds=settings.PRESSDESK_LOGIN_COOLOFF_SECONDS)
    for n in range(settings.AXES_FAILURE_LIMIT):
        _try(LOGIN, username="kari", password=f"wrong-{n}", address=ATTACKER)
    with time_machine.travel(timezone.now() + base + timedelta(seconds=30), tick=False):
        # One limit's worth: the base cool-off, then in.
        assert _try(LOGIN, username="kari", password=makers.PASSWORD, address=OFFICE)
    AccessAttempt.objects.all().delete()

    for n in range(3 * settings.AXES_FAILURE_LIMIT):
        _try(LOGIN, username="kari", password=f"wrong-{n}", address=ATTACKER)
    after_base = timezone.now() + base + timedelta(seconds=30)
    with time_machine.travel(after_base, tick=False):
        assert _try(LOGIN, username="kari", password=makers.PASSWORD, address=OFFICE) == 429
    with time_machine.travel(timezone.now() + 4 * base + timedelta(seconds=30), tick=False):
        assert (
            _try(LOGIN, username="kari", password=makers.PASSWORD, address=OFFICE)
            == PASSWORD_ACCEPTED
        )


def test_a_locked_account_shows_in_admin_and_an_administrator_can_unlock_it(admin_user, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _try(LOGIN, username="kari", password=f"wrong-{n}", address=ATTACKER)
    assert _try(LOGIN, username="kari", password=makers.PASSWORD, address=OFFICE) == 429

    root = Client()
    root.force_login(makers.make_user(username="root", is_staff=True, is_superuser=True))
    listing = root.get("/admin/axes/accessattempt/?locked_out=yes")
    assert listing.status_code == 200
    assert b"kari" in listing.content
    attempts = AccessAttempt.objects.filter(username="kari").values_list("pk", flat=True)
    root.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": list(attempts), "post": "yes"},
    )

    assert _try(LOGIN, username="kari", password=makers.PASSWORD, address=OFFICE) == 302


def test_failed_logins_and_the_lockout_are_audited_by_user_id_only(admin_user, settings):
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        _try(LOGIN, username="kari", password=f"secret-{n}", address=ATTACKER)
    _try(LOGIN, username="nobody-such", password="secret-x", address=OFFICE)

    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 3
    assert failed.filter(detail={"user": admin_user.pk}).count() == settings.AXES_FAILURE_LIMIT + 2
    assert failed.filter(detail={}).count() == 1  # the unknown name is not kept
    locked = AuditEvent.objects.filter(action=AuditAction.LOGIN_LOCKED_OUT)
    assert list(locked.values_list("detail", flat=True)) == [{"user": admin_user.pk}]
    for event in AuditEvent.objects.all():
        assert "secret" not in str(event.detail)
        assert "nobody-such" not in str(event.detail)
