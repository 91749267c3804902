""" "Who has read this contact in the last 90 days" on the card: auditors only; per officer
and kind of read, from every kind of read the audit keeps (enquiries.privacy.reads)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone, translation

from enquiries.models import AuditEvent
from enquiries.privacy.erasure import erase_contact
from enquiries.privacy.reads import journalist_readers
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def ola():
    return makers.make_journalist(outlet=makers.make_outlet())


@pytest.fixture
def auditor_client(officer):
    officer.groups.add(Group.objects.get(name="Auditors"))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer)
    return client


def _client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _kinds(journalist_id: int) -> dict[tuple[str, str], int]:
    with translation.override("en"):
        readers = journalist_readers(journalist_id=journalist_id)
    return {(reader.name, reader.kind): reader.times for reader in readers}


def test_every_kind_of_read_is_listed_per_officer(ola, admin_client, admin_user):
    enquiry = makers.make_enquiry(journalist=ola, topic="Vaksinelager")
    kari = _client_of(makers.make_officer(username="kari", first_name="Kari", last_name="Vakt"))
    per = _client_of(makers.make_officer(username="per"))
    other = makers.make_journalist(
        first_name="Ola", last_name="Nordmann", email="ola@nrk.no", mobile="+47 400 00 002"
    )

    kari.get(f"/desk/journalists/{ola.pk}/")
    kari.get(f"/desk/journalists/{ola.pk}/")
    kari.get("/desk/")
    kari.get("/desk/search/", {"q": "vaksinelager"})
    per.get(f"/desk/enquiries/{enquiry.pk}/")
    per.post("/desk/suggest/journalists/", {"q": "ola.nordmann@vg"})
    per.post(
        f"/desk/journalists/{ola.pk}/export.json",
        {"channel": "email", "requester_name": "Ola", "identity_check": "registered_email"},
    )
    per.get(f"/desk/journalists/{other.pk}/")  # ola is a merge candidate there
    admin_client.get("/admin/enquiries/journalist/")
    admin_client.get(f"/admin/enquiries/journalist/{ola.pk}/change/")
    admin_client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/")

    assert _kinds(ola.pk) == {
        ("Kari Vakt", "Contact card"): 2,
        ("Kari Vakt", "Queue list"): 1,
        ("Kari Vakt", "Search result"): 1,
        ("per", "One of their enquiries"): 1,
        ("per", "Suggestion while typing"): 1,
        ("per", "Export"): 1,
        ("per", "Merge candidate on another contact's card"): 1,
        ("admin", "Admin list"): 1,
        ("admin", "Admin record"): 1,
        ("admin", "Admin record of an enquiry or message"): 1,
    }
    # Reads of someone else are not theirs; writes are not reads.
    assert ("per", "Contact card") not in _kinds(ola.pk)
    assert set(_kinds(other.pk)) == {
        ("per", "Contact card"),
        ("admin", "Admin list"),
        ("Kari Vakt", "Merge candidate on another contact's card"),
    }


def test_only_the_last_ninety_days_count(ola):
    kari = makers.make_officer(username="kari")
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        assert _client_of(kari).get(f"/desk/journalists/{ola.pk}/").status_code == 200
    assert journalist_readers(journalist_id=ola.pk) == []
    with time_machine.travel(timezone.now() - timedelta(days=89)):
        assert _client_of(kari).get(f"/desk/journalists/{ola.pk}/").status_code == 200
    (reader,) = journalist_readers(journalist_id=ola.pk)
    assert (reader.name, reader.times) == ("kari", 1)


def test_an_auditor_sees_the_list_on_the_card(auditor_client, ola):
    kari = _client_of(makers.make_officer(username="kari", first_name="Kari", last_name="Vakt"))
    kari.post("/desk/suggest/journalists/", {"q": "nordmann"})
    html = auditor_client.get(f"/desk/journalists/{ola.pk}/").content.decode()
    assert "Who has read this contact in the last 90 days" in html
    assert "Kari Vakt" in html
    assert "Suggestion while typing" in html


def test_an_officer_who_is_no_auditor_does_not_see_it(officer_client, ola):
    kari = _client_of(makers.make_officer(username="kari", first_name="Kari", last_name="Vakt"))
    kari.get(f"/desk/journalists/{ola.pk}/")
    response = officer_client.get(f"/desk/journalists/{ola.pk}/")
    assert response.context["readers"] is None
    assert "Who has read this contact" not in response.content.decode()
    assert "Kari Vakt" not in response.content.decode()


def test_an_auditor_outside_the_press_officers_cannot_open_the_card(ola):
    auditor = makers.make_user(username="revisor")
    auditor.groups.add(Group.objects.get(name="Auditors"))
    assert _client_of(auditor).get(f"/desk/journalists/{ola.pk}/").status_code == 403


def test_erasure_takes_the_journalist_out_of_every_list(ola, officer_client):
    keep = makers.make_journalist(
        first_name="Kari", last_name="Nordmann", email="kari@nrk.no", mobile=""
    )
    makers.make_enquiry(journalist=ola)
    makers.make_enquiry(journalist=keep)
    officer_client.get("/desk/")
    officer_client.post("/desk/suggest/journalists/", {"q": "nordmann"})
    assert journalist_readers(journalist_id=ola.pk)

    receipt = erase_contact(by=None, via="desk", email="ola.nordmann@vg.no")
    assert journalist_readers(journalist_id=ola.pk) == []
    for event in AuditEvent.objects.all():
        assert ola.pk not in event.journalist_ids
    assert AuditEvent.objects.filter(journalist_ids=[keep.pk]).count() == 2
    # Every event that named ola: "created" (by id), the queue page and the suggestions.
    assert receipt.audit_events == 3
