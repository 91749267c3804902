"""Records that stay clean (#19): an enquiry emptied by erasure or opt-out leaves the queue
and its counts, closed and marked anonymised; its history says in words what happened and
when, in the officer's language, with no personal data; views are on their own tab."""

import re

import pytest
from django.test import Client

from enquiries.core.errors import EnquiryAnonymised
from enquiries.handling import enquiries as handling
from enquiries.models import AuditEvent, Enquiry
from enquiries.privacy.erasure import erase_contact
from enquiries.queue.listing import QueueFilters, desk_queue
from tests import makers

pytestmark = pytest.mark.django_db

PERSONAL = ("Ola", "Nordmann", "ola.nordmann@vg.no", "400 33 431", "Vaksinelager i Nordland")


@pytest.fixture
def pia(db: None):  # type: ignore[no-untyped-def]
    return makers.make_officer(username="pia", first_name="Pia", last_name="Presse")


@pytest.fixture
def pia_client(pia) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(pia)
    return client


def _ola_enquiry(**extra: object) -> Enquiry:
    return makers.make_enquiry(
        journalist=makers.make_journalist(), topic=PERSONAL[4], details="Ring meg", **extra
    )


def _history(client: Client, enquiry: Enquiry) -> list[str]:
    response = client.get(f"/desk/enquiries/{enquiry.pk}/")
    assert response.status_code == 200
    return [line.text for line in response.context["history"]]


def _assert_clean(client: Client, enquiry: Enquiry) -> None:
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.topic, enquiry.journalist_id) == ("closed", "", None)
    assert enquiry.anonymised_at is not None
    assert enquiry.closed_at == enquiry.anonymised_at
    # Out of the queue and its counts; found again by the status filter, marked.
    page = desk_queue(filters=QueueFilters())
    assert enquiry.pk not in [row.pk for row in page.rows]
    assert page.counts["new"] == 0
    closed = client.get("/desk/", {"status": "closed"})
    assert enquiry.pk in [row.pk for row in closed.context["rows"]]
    row = next(line for line in closed.content.decode().splitlines() if enquiry.reference in line)
    assert "Anonymised" in row
    html = client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert 'class="badge text-bg-light fs-6 anonymised"' in html
    for value in PERSONAL:
        # As a word of its own: "Ola" also turns up inside random CSRF tokens and nonces.
        assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", html), value


def test_an_erased_enquiry_leaves_the_queue_and_says_so_in_its_history(pia, pia_client):
    enquiry = _ola_enquiry(by=pia)
    assert desk_queue(filters=QueueFilters()).counts["new"] == 1
    erase_contact(by=pia, via="desk", email="ola.nordmann@vg.no")
    _assert_clean(pia_client, enquiry)
    assert _history(pia_client, enquiry) == [
        "Personal data erased at the journalist's request; the enquiry was closed and "
        "anonymised by Pia Presse.",
        "Enquiry logged by Pia Presse.",
    ]
    assert AuditEvent.objects.get(enquiry_id=enquiry.pk, action="privacy.stripped").detail == {
        "reason": "erasure",
        "from": "new",
    }


def test_an_opted_out_enquiry_is_emptied_when_answered_and_says_so(pia, pia_client):
    enquiry = _ola_enquiry(by=pia, opted_out=True)
    handling.change_status(enquiry_id=enquiry.pk, status="answered", by=pia)
    _assert_clean(pia_client, enquiry)
    assert _history(pia_client, enquiry) == [
        "Personal data removed as the journalist asked not to be logged; the enquiry was "
        "closed and anonymised by Pia Presse.",
        "Status changed from New to Answered by Pia Presse.",
        "Enquiry logged by Pia Presse.",
    ]


def test_an_anonymised_enquiry_cannot_be_reopened(pia, pia_client):
    enquiry = _ola_enquiry(by=pia, opted_out=True)
    handling.change_status(enquiry_id=enquiry.pk, status="closed", by=pia)
    with pytest.raises(EnquiryAnonymised):
        handling.change_status(enquiry_id=enquiry.pk, status="in_progress", by=pia)
    response = pia_client.post(f"/desk/enquiries/{enquiry.pk}/status/", {"status": "in_progress"})
    assert response.status_code == 400
    assert "cannot be reopened" in response.content.decode()


def test_the_history_reads_as_sentences_in_english(pia, pia_client):
    kari = makers.make_officer(username="kari", first_name="Kari", last_name="Vakt")
    enquiry = makers.make_enquiry(by=pia)
    handling.assign(enquiry_id=enquiry.pk, officer_id=kari.pk, by=pia)
    handling.change_status(enquiry_id=enquiry.pk, status="in_progress", by=kari)
    handling.update_enquiry(enquiry_id=enquiry.pk, by=kari, topic="Nytt tema", details="Mer")
    handling.add_message(enquiry_id=enquiry.pk, by=kari, direction="note", body="Ringt tilbake")
    handling.change_status(enquiry_id=enquiry.pk, status="answered", by=kari)
    assert _history(pia_client, enquiry) == [
        "Status changed from In progress to Answered by Kari Vakt.",
        "Internal note added to the thread by Kari Vakt.",
        "Changed topic and details by Kari Vakt.",
        "Status changed from New to In progress by Kari Vakt.",
        "Assigned to Kari Vakt by Pia Presse.",
        "Enquiry logged by Pia Presse.",
    ]


def test_the_history_reads_as_sentences_in_bokmaal(pia):
    enquiry = makers.make_enquiry(by=pia)
    handling.update_enquiry(enquiry_id=enquiry.pk, by=pia, topic="Nytt tema", details="Mer")
    handling.change_status(enquiry_id=enquiry.pk, status="answered", by=pia)
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(pia)
    html = client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert "Status endret fra Ny til Besvart av Pia Presse." in html
    assert "Endret tema og detaljer av Pia Presse." in html
    assert "Henvendelsen registrert av Pia Presse." in html
    # Never a code or a raw field name.
    for raw in ("answered", "enquiry.status", "topic_category", "→"):
        assert raw not in html.split('id="activity"')[1]


def test_views_stay_in_the_audit_and_show_on_their_own_tab(pia, pia_client):
    enquiry = makers.make_enquiry(by=pia)
    for _ in range(3):
        pia_client.get(f"/desk/enquiries/{enquiry.pk}/")
    assert AuditEvent.objects.filter(enquiry_id=enquiry.pk, action="enquiry.viewed").count() == 3
    assert _history(pia_client, enquiry) == ["Enquiry logged by Pia Presse."]
    response = pia_client.get(f"/desk/enquiries/{enquiry.pk}/", {"tab": "views"})
    assert len(response.context["views"]) == 5  # the three, the history's, this one
    html = response.content.decode()
    assert html.count("Opened by Pia Presse") == 5
    assert 'aria-current="page" href="?tab=views#activity"' in html
