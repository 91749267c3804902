"""The press duty: the rota, assignment of new enquiries, the out-of-hours flag."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from enquiries.core.desk_settings import update_desk_settings
from enquiries.forms.public import new_form_stamp
from enquiries.handling import duty
from enquiries.intake import inbound_mail
from enquiries.models import AuditEvent, DutyShift, Enquiry
from tests import makers
from tests.clients import FormClient

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def oslo(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=OSLO)  # type: ignore[misc]


def _shift(officer, *, hours_before: float = 1, hours_after: float = 8) -> DutyShift:
    now = timezone.now()
    return duty.save_shift(
        shift=DutyShift(
            officer=officer,
            starts_at=now - timedelta(hours=hours_before),
            ends_at=now + timedelta(hours=hours_after),
        ),
        by=None,
    )


def test_a_new_enquiry_goes_to_the_officer_on_duty_and_says_so_in_the_audit(office_clock):
    pia = makers.make_officer(username="pia", first_name="Pia", last_name="Presse")
    _shift(pia)
    enquiry = makers.make_enquiry()
    assert enquiry.assigned_to == pia
    event = AuditEvent.objects.get(action="enquiry.assigned", enquiry_id=enquiry.pk)
    assert event.detail == {"officer_id": pia.pk, "rota": True}


def test_with_nobody_on_duty_it_stays_unassigned(office_clock):
    pia = makers.make_officer(username="pia")
    _shift(pia, hours_before=10, hours_after=-2)  # ended two hours ago
    assert makers.make_enquiry().assigned_to is None
    assert not AuditEvent.objects.filter(action="enquiry.assigned").exists()


def test_at_a_handover_the_shift_that_started_last_has_the_duty(office_clock):
    early, late = makers.make_officer(username="early"), makers.make_officer(username="late")
    _shift(early, hours_before=6, hours_after=1)
    _shift(late, hours_before=0.5, hours_after=8)
    assert duty.duty_officer() == late
    assert makers.make_enquiry().assigned_to == late


def test_an_officer_who_lost_the_permission_is_not_given_work(office_clock):
    pia = makers.make_officer(username="pia")
    _shift(pia)
    pia.groups.remove(Group.objects.get(name="Press officers"))
    assert duty.duty_officer() is None
    assert makers.make_enquiry().assigned_to is None


def test_only_a_press_officer_can_be_put_on_the_rota():
    with pytest.raises(ValidationError) as caught:
        _shift(makers.make_user(username="outsider"))
    assert "officer" in caught.value.message_dict
    assert not DutyShift.objects.exists()


def test_a_shift_must_end_after_it_starts():
    with pytest.raises(ValidationError):
        _shift(makers.make_officer(), hours_before=-2, hours_after=-3)


def test_the_form_mail_and_a_logged_call_all_go_to_the_duty_officer(
    office_clock, officer, officer_client, settings
):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    pia = makers.make_officer(username="pia")
    _shift(pia)
    form = {
        "first_name": "Kari",
        "last_name": "Holm",
        "outlet": "Khrono",
        "email": "kari.holm@khrono.no",
        "phone": "",
        "mobile": "",
        "topic": "Smittevernutstyr",
        "question": "Hvor mye er på lager?",
        "stamp": new_form_stamp(),
        "website": "",
    }
    assert FormClient().post("/enquiry/", form).status_code == 302
    inbound_mail.ingest(
        b"From: Ola Nordmann <ola.nordmann@vg.no>\r\nTo: presse@helseetaten.no\r\n"
        b"Subject: Beredskapslager\r\nMessage-ID: <duty-1@vg.no>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nHei!\r\n"
    )
    officer_client.post(
        "/desk/log/",
        {
            "journalist": "",
            "journalist_lookup": "",
            "outlet_name": "",
            "channel": "phone",
            "received_at": timezone.localtime().strftime("%d.%m.%Y %H:%M"),
            "topic": "Tall for ventetid",
            "details": "",
            "topic_category": "",
            "deadline": "",
            "action": "save",
        },
    )
    channels = dict(Enquiry.objects.values_list("channel", "assigned_to"))
    assert channels == {"web_form": pia.pk, "email": pia.pk, "phone": pia.pk}


@pytest.mark.parametrize(
    ("received", "out"),
    [
        (oslo(2026, 3, 10, 10, 0), False),  # a Tuesday morning
        (oslo(2026, 3, 10, 7, 59), True),  # before opening
        (oslo(2026, 3, 10, 16, 0), True),  # at closing time
        (oslo(2026, 3, 6, 17, 30), True),  # Friday evening
        (oslo(2026, 3, 7, 11, 0), True),  # Saturday
        (oslo(2026, 4, 2, 11, 0), True),  # Maundy Thursday
        (oslo(2026, 12, 24, 10, 0), True),  # Christmas Eve: the office is closed
        (oslo(2028, 5, 17, 12, 0), True),  # 17 May on a Wednesday
    ],
)
def test_an_enquiry_received_out_of_hours_is_flagged(received, out):
    with time_machine.travel(received + timedelta(minutes=5), tick=False):
        assert makers.make_enquiry(received_at=received).out_of_hours is out


def test_the_flag_follows_the_office_hours_in_the_desk_settings():
    update_desk_settings(by=None, office_opens=time(9, 0), office_closes=time(15, 0))
    early = oslo(2026, 3, 10, 8, 30)
    with time_machine.travel(early, tick=False):
        assert makers.make_enquiry(received_at=early).out_of_hours


def test_office_hours_that_close_before_they_open_are_refused():
    with pytest.raises(ValidationError) as caught:
        update_desk_settings(by=None, office_opens=time(16, 0), office_closes=time(8, 0))
    assert "office_closes" in caught.value.message_dict


def _duty_line(client) -> str:
    page = client.get("/desk/").content.decode()
    return page.split('id="duty-officer"', 1)[1].split("</p>", 1)[0]


def test_the_queue_names_the_officer_on_duty(office_clock, officer_client):
    pia = makers.make_officer(username="pia", first_name="Pia", last_name="Presse")
    assert "Pia Presse" not in _duty_line(officer_client)
    _shift(pia)
    assert "Pia Presse" in _duty_line(officer_client)


def test_correcting_the_time_received_corrects_the_flag(officer):
    from enquiries.handling import enquiries as handling

    evening = oslo(2026, 3, 10, 19, 0)
    with time_machine.travel(evening, tick=False):
        enquiry = makers.make_enquiry(received_at=evening)
        assert enquiry.out_of_hours
        morning = oslo(2026, 3, 10, 10, 0)
        changed = handling.update_enquiry(enquiry_id=enquiry.pk, by=officer, received_at=morning)
    assert not changed.out_of_hours
    assert not Enquiry.objects.get(pk=enquiry.pk).out_of_hours
