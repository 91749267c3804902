"""Logins and logouts leave audit events by user id (failed logins and the lockout:
tests/accounts/test_throttle.py); nothing typed is kept."""

import pytest
from django.test import Client

from enquiries.models import AuditAction, AuditEvent
from tests import logins, makers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_url", ["", "/admin/"])  # admin goes through the same login
def test_a_login_and_a_logout_are_audited_with_the_user(next_url):
    kari = makers.make_officer(username="kari", is_staff=True)
    client = Client()
    if next_url:
        assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")
    response = logins.log_in(client, username="kari", next_url=next_url)  # password and code
    assert response.status_code == 302
    assert client.post("/accounts/logout/").status_code in (200, 302)

    events = list(AuditEvent.objects.order_by("id").values_list("action", "actor_id", "detail"))
    assert events == [(AuditAction.LOGIN, kari.pk, {}), (AuditAction.LOGOUT, kari.pk, {})]


def test_a_failed_login_names_the_account_not_the_password():
    kari = makers.make_officer(username="kari")
    logins.post_password(Client(), username="kari", password="Sommer2026!!")
    (event,) = AuditEvent.objects.all()
    assert (event.action, event.actor_id, event.detail) == (
        AuditAction.LOGIN_FAILED,
        None,
        {"user": kari.pk},
    )
    assert "Sommer" not in str(event.detail)


def test_logging_out_when_not_logged_in_writes_nothing():
    Client().post("/accounts/logout/")
    assert not AuditEvent.objects.exists()
