"""Session rules (TESTING 30): an absolute lifetime, revoked on deactivation, on leaving the
press officers, on a password change, and by "log out everywhere"."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from enquiries.models import AuditAction, AuditEvent
from tests import makers

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    assert client.get("/desk/").status_code == 200
    return client


def _sent_to_login(client: Client) -> bool:
    response = client.get("/desk/")
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_busy_session_ends_after_the_absolute_lifetime(officer, settings):
    settings.SESSION_COOKIE_AGE = 24 * 3600  # the idle limit is not what ends it here
    client = _logged_in(officer)
    start = timezone.now()
    with time_machine.travel(start + timedelta(hours=11, minutes=50), tick=False):
        assert client.get("/desk/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert _sent_to_login(client)


def test_a_deactivated_user_stays_out_when_reactivated(officer):
    client = _logged_in(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert _sent_to_login(client)
    officer.is_active = True
    officer.save(update_fields=["is_active"])
    assert _sent_to_login(client)


def test_leaving_the_press_officers_ends_the_session_for_good(officer):
    client = _logged_in(officer)
    group = Group.objects.get(name="Press officers")
    officer.groups.remove(group)
    assert _sent_to_login(client)
    officer.groups.add(group)
    assert _sent_to_login(client)


def test_a_password_change_ends_other_sessions(officer):
    client = _logged_in(officer)
    officer.set_password("a-new-long-passphrase-2026")
    officer.save()
    assert _sent_to_login(client)


def test_log_out_everywhere_from_the_desk_ends_every_session(officer):
    laptop, phone = _logged_in(officer), _logged_in(officer)
    assert b"/desk/sessions/end-all/" in laptop.get("/desk/").content
    response = laptop.post("/desk/sessions/end-all/")
    assert response.status_code == 302
    assert _sent_to_login(laptop)
    assert _sent_to_login(phone)
    assert AuditEvent.objects.filter(
        action=AuditAction.SESSIONS_REVOKED, actor=officer, detail={"user": officer.pk}
    ).exists()
    assert _logged_in(officer)  # a new login works


def test_an_administrator_logs_another_user_out_everywhere(officer):
    client = _logged_in(officer)
    bystander = _logged_in(makers.make_officer(username="bystander"))
    root = Client()
    root.force_login(makers.make_user(username="root", is_staff=True, is_superuser=True))
    response = root.post(
        "/admin/auth/user/", {"action": "log_out_everywhere", "_selected_action": [officer.pk]}
    )
    assert response.status_code == 302
    assert _sent_to_login(client)
    assert bystander.get("/desk/").status_code == 200
