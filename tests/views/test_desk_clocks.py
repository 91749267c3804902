"""The clocks on the desk: a journalist's deadline as time left, FOI forwarding due in
working days, the out-of-hours mark, the rights request's legal date."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from enquiries.privacy import rights
from enquiries.queue.listing import FOI_ALERTS_SHOWN
from tests import makers

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def _clocks(client, enquiry) -> str:
    page = client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    return page.split('class="list-inline mb-3 enquiry-clocks"', 1)[1].split("</ul>", 1)[0]


def test_the_journalists_deadline_shows_as_time_left(officer_client, office_clock, officer):
    enquiry = makers.make_enquiry(deadline=timezone.now() + timedelta(hours=3, minutes=20))
    assert "3 t 20 min igjen til journalistens frist" in _clocks(officer_client, enquiry)
    office_clock.shift(timedelta(hours=4))
    officer_client.force_login(officer)  # the idle timeout ended the session meanwhile
    assert "Fristen gikk ut for 40 min siden" in _clocks(officer_client, enquiry)


def test_an_answered_enquiry_shows_no_countdown(officer_client, office_clock, officer):
    from enquiries.handling import enquiries as handling

    enquiry = makers.make_enquiry(deadline=timezone.now() + timedelta(hours=3))
    handling.change_status(enquiry_id=enquiry.pk, status="answered", by=officer)
    assert "deadline-left" not in _clocks(officer_client, enquiry)


def test_a_request_for_access_from_friday_evening_is_due_monday_at_closing(officer_client):
    friday_evening = datetime(2026, 3, 6, 17, 30, tzinfo=OSLO)
    with time_machine.travel(friday_evening, tick=False):
        enquiry = makers.make_enquiry(kind="foi", foi_held=True)
        clocks = _clocks(officer_client, enquiry)
    assert "Mottatt utenom kontortid" in clocks
    assert "Til postmottaket innen 09.03.2026 16:00" in clocks


def test_the_queue_alert_shows_the_due_time_in_working_days(officer_client):
    wednesday_before_easter = datetime(2026, 4, 1, 14, 0, tzinfo=OSLO)
    with time_machine.travel(wednesday_before_easter, tick=False) as clock:
        enquiry = makers.make_enquiry(kind="foi", foi_held=True)
        clock.shift(timedelta(hours=1, minutes=1))
        alert = officer_client.get("/desk/").content.decode().split('id="foi-alerts"', 1)[1]
        assert enquiry.reference in alert
        assert "frist 07.04.2026 14:00" in alert  # after Easter, not tomorrow


def test_nights_and_easter_do_not_count_towards_the_alert(officer_client, officer):
    thursday = datetime(2026, 4, 1, 15, 30, tzinfo=OSLO)  # half an hour before closing
    with time_machine.travel(thursday, tick=False) as clock:
        makers.make_enquiry(kind="foi", foi_held=True)
        clock.move_to(datetime(2026, 4, 6, 12, 0, tzinfo=OSLO))  # Easter Monday
        officer_client.force_login(officer)  # the idle timeout ended the session meanwhile
        assert 'id="foi-alerts"' not in officer_client.get("/desk/").content.decode()
        clock.move_to(datetime(2026, 4, 7, 8, 31, tzinfo=OSLO))  # 30 + 31 office minutes
        officer_client.force_login(officer)
        assert 'id="foi-alerts"' in officer_client.get("/desk/").content.decode()


def test_a_rights_request_is_due_one_calendar_month_on(officer):
    received = datetime(2026, 1, 31, 9, 0, tzinfo=OSLO)
    request = rights.open_rights_request(
        by=officer, kind="access", channel="phone", received_at=received
    )
    assert request.due_date.isoformat() == "2026-02-28"


def test_the_alert_counts_every_late_request_and_lists_the_longest_waiting(officer_client):
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=OSLO)
    with time_machine.travel(monday, tick=False) as clock:
        made = []
        for _ in range(FOI_ALERTS_SHOWN + 2):
            made.append(makers.make_enquiry(kind="foi", foi_held=True))
            clock.shift(timedelta(minutes=1))
        clock.shift(timedelta(hours=2))
        alert = officer_client.get("/desk/").content.decode().split('id="foi-alerts"', 1)[1]
        alert = alert.split("</div>", 1)[0]
    assert f"{FOI_ALERTS_SHOWN + 2} innsynskrav" in alert  # the count is all of them
    listed = [enquiry.reference for enquiry in made if enquiry.reference in alert]
    assert listed == [enquiry.reference for enquiry in made[:FOI_ALERTS_SHOWN]]  # oldest first
    assert "/desk/?kind=foi" in alert  # and the way to the rest
