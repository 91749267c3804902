"""/desk/enquiries/<id>/: every field, the thread, assignment, status, edit, history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries.handling import enquiries as handling
from enquiries.models import AuditEvent, Enquiry, Message
from enquiries.queue.records import THREAD_SHOWN
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def enquiry():
    journalist = makers.make_journalist(outlet=makers.make_outlet())
    return makers.make_enquiry(journalist=journalist)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_page_shows_every_field_and_audits_the_view(officer_client, officer, enquiry):
    html = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    for text in [
        enquiry.reference,
        "Høringen om ME/CFS-veilederen",
        "Når kommer den endelige",
        "Ola Nordmann",
        "ola.nordmann@vg.no",
        "VG",
    ]:
        assert text in html
    event = AuditEvent.objects.get(action="enquiry.viewed")
    assert (event.actor_id, event.enquiry_id, event.detail) == (officer.pk, enquiry.pk, {})


def test_an_internal_note_joins_the_thread(officer_client, officer, enquiry):
    response = officer_client.post(
        f"/desk/enquiries/{enquiry.pk}/messages/", {"direction": "note", "body": "Ringte tilbake"}
    )
    assert response.status_code == 302
    note = Message.objects.get()
    assert (note.direction, note.body, note.created_by) == ("note", "Ringte tilbake", officer)
    assert "Ringte tilbake" in officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()


def test_a_pasted_e_mail_keeps_its_date_and_headers(officer_client, enquiry):
    sent = timezone.now() - timedelta(hours=3)
    officer_client.post(
        f"/desk/enquiries/{enquiry.pk}/messages/",
        {
            "direction": "in",
            "sent_at": _local(sent),
            "from_address": "ola.nordmann@vg.no",
            "to_address": "presse@helseetaten.example",
            "subject": "Oppfølging",
            "body": "Har dere tall for 2025?",
        },
    )
    message = Message.objects.get()
    assert message.direction == "in"
    assert message.subject == "Oppfølging"
    assert abs((message.sent_at - sent).total_seconds()) < 60


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Hei\r\nBcc: x@evil.example"),
        ("body", ""),
        ("body", "x" * 100_001),
        ("sent_at", "not a date"),
        ("from_address", "a\x00b"),
    ],
)
def test_a_bad_message_is_a_field_error_keeping_the_rest(officer_client, enquiry, field, value):
    data = {"direction": "in", "subject": "Emne", "body": "Teksten", field: value}
    response = officer_client.post(f"/desk/enquiries/{enquiry.pk}/messages/", data)
    assert response.status_code == 400
    assert field in response.context["message_form"].errors
    assert Message.objects.count() == 0
    if field != "body":
        assert "Teksten" in response.content.decode()


def test_assign_to_me_and_to_a_colleague(officer_client, officer, enquiry):
    colleague = makers.make_officer(username="kari")
    officer_client.post(f"/desk/enquiries/{enquiry.pk}/assign/", {"me": "1"})
    enquiry.refresh_from_db()
    assert enquiry.assigned_to == officer
    officer_client.post(f"/desk/enquiries/{enquiry.pk}/assign/", {"officer": colleague.pk})
    enquiry.refresh_from_db()
    assert enquiry.assigned_to == colleague
    officer_client.post(f"/desk/enquiries/{enquiry.pk}/assign/", {"officer": ""})
    enquiry.refresh_from_db()
    assert enquiry.assigned_to is None
    assert AuditEvent.objects.filter(action="enquiry.assigned").count() == 3


def test_only_officers_can_be_assigned(officer_client, outsider, enquiry):
    officer_client.post(f"/desk/enquiries/{enquiry.pk}/assign/", {"officer": outsider.pk})
    enquiry.refresh_from_db()
    assert enquiry.assigned_to is None


def test_status_changes_follow_the_allowed_paths(officer_client, enquiry):
    officer_client.post(f"/desk/enquiries/{enquiry.pk}/status/", {"status": "answered"})
    enquiry.refresh_from_db()
    assert enquiry.status == "answered"
    assert enquiry.answered_at is not None
    response = officer_client.post(f"/desk/enquiries/{enquiry.pk}/status/", {"status": "new"})
    assert response.status_code == 400
    assert "status" in response.context["status_form"].errors
    response = officer_client.post(f"/desk/enquiries/{enquiry.pk}/status/", {"status": "routed"})
    assert response.status_code == 400
    enquiry.refresh_from_db()
    assert enquiry.status == "answered"


@pytest.mark.postgres
def test_edit_changes_fields_and_audits_their_names_only(officer_client, enquiry):
    data = {
        "received_at": _local(enquiry.received_at),
        "channel": "email",
        "kind": "press",
        "outlet_name": "Aftenposten",
        "topic": "Ny overskrift",
        "details": "Nye detaljer",
        "topic_category": "",
        "deadline": "",
    }
    response = officer_client.post(f"/desk/enquiries/{enquiry.pk}/edit/", data)
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.topic, enquiry.channel, enquiry.outlet.name) == (
        "Ny overskrift",
        "email",
        "Aftenposten",
    )
    event = AuditEvent.objects.get(action="enquiry.changed")
    assert set(event.detail["fields"]) == {"channel", "outlet", "topic", "details"}
    assert Enquiry.objects.filter(search_vector__isnull=False, topic="Ny overskrift").exists()
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    [changed] = [line.text for line in page.context["history"] if line.text.startswith("Changed")]
    assert changed == "Changed channel, topic, details and outlet by officer."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("topic", ""),
        ("topic", "x" * 201),
        ("deadline", "2000-01-01T10:00"),
        ("received_at", "2999-01-01T10:00"),
        ("details", "a\x07b"),
    ],
)
def test_a_bad_edit_is_a_field_error_and_nothing_changes(officer_client, enquiry, field, value):
    data = {
        "received_at": _local(enquiry.received_at),
        "channel": "phone",
        "kind": "press",
        "topic": "Endret",
        "details": "Endret tekst",
        field: value,
    }
    response = officer_client.post(f"/desk/enquiries/{enquiry.pk}/edit/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    enquiry.refresh_from_db()
    assert enquiry.topic == "Høringen om ME/CFS-veilederen"
    assert not AuditEvent.objects.filter(action="enquiry.changed").exists()


def test_stored_markup_is_escaped_on_the_page(officer_client):
    evil = '"><img src=x onerror=alert(1)>'
    enquiry = makers.make_enquiry(topic=evil, details=evil)
    html = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(
    ("topic", "suggested"),
    [
        ("Innsynskrav i avtalen med WHO", True),
        ("Krav om innsyn i e-poster", True),
        ("Intervju om ventetider", False),
    ],
)
def test_the_page_suggests_foi_but_only_a_person_reclassifies(officer_client, topic, suggested):
    enquiry = makers.make_enquiry(topic=topic)
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    assert ('id="foi-suggestion"' in page.content.decode()) is suggested
    enquiry.refresh_from_db()
    assert enquiry.kind == "press"  # nothing changes by itself


def test_the_history_shows_changes_not_views(officer_client, enquiry):
    for _ in range(3):
        officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    officer_client.post(f"/desk/enquiries/{enquiry.pk}/status/", {"status": "in_progress"})
    response = officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    # Every view is audited, but the page lists the changes only.
    assert AuditEvent.objects.filter(enquiry_id=enquiry.pk, action="enquiry.viewed").count() == 4
    lines = [line.text for line in response.context["history"]]
    assert len(lines) == 2  # logged, and the status change: no views
    assert lines[0].startswith("Status endret fra Ny til Under arbeid")


def test_a_long_thread_shows_its_newest_messages_and_a_link_to_all(officer_client, enquiry):
    start = timezone.now() - timedelta(days=1)
    for i in range(THREAD_SHOWN + 2):
        handling.add_message(
            enquiry_id=enquiry.pk,
            by=None,
            direction="note",
            body=f"Notat {i}",
            sent_at=start + timedelta(minutes=i),
        )
    response = officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    bodies = [message.body for message in response.context["thread"]]
    assert bodies == [f"Notat {i}" for i in range(2, THREAD_SHOWN + 2)]
    assert 'href="?thread=all#thread"' in response.content.decode()
    response = officer_client.get(f"/desk/enquiries/{enquiry.pk}/?thread=all")
    assert len(response.context["thread"]) == THREAD_SHOWN + 2
    assert 'href="?thread=all#thread"' not in response.content.decode()
