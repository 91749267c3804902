"""Every read of personal data leaves one audit event per page shown, holding the ids it
showed and nothing typed (DESIGN rule 11): queue pages, search results, suggestions, the
card, the enquiry page, exports, and admin lists and records."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from enquiries.handling import enquiries as handling
from enquiries.models import AuditAction, AuditEvent
from enquiries.queue.listing import QUEUE_PAGE_SIZE
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def ola():
    return makers.make_journalist(outlet=makers.make_outlet())


@pytest.fixture
def kari():
    return makers.make_journalist(
        first_name="Kari", last_name="Nordmann", email="kari.nordmann@nrk.no", mobile=""
    )


def _reads(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def _no_text(event: AuditEvent, *texts: str) -> None:
    stored = json.dumps([event.detail, event.enquiry_ids, event.journalist_ids])
    for text in texts:
        assert text.lower() not in stored.lower()


def test_each_queue_page_is_one_event_with_the_ids_it_showed(officer_client, officer, ola, kari):
    olas = [makers.make_enquiry(journalist=ola, topic=f"Sak {i}") for i in range(QUEUE_PAGE_SIZE)]
    karis = makers.make_enquiry(journalist=kari, topic="Karis")
    nobodys = makers.make_enquiry(topic="Uten kontakt")
    everything = {*(e.pk for e in olas), karis.pk, nobodys.pk}

    first = officer_client.get("/desk/")
    shown = [row.pk for row in first.context["rows"]]
    assert len(shown) == QUEUE_PAGE_SIZE
    (event,) = _reads(AuditAction.QUEUE_LISTED)
    assert event.actor_id == officer.pk
    assert event.enquiry_ids == sorted(shown)
    assert event.journalist_ids == sorted({ola.pk, kari.pk})

    second = officer_client.get(f"/desk/?after={first.context['page'].next_cursor}")
    rest = [row.pk for row in second.context["rows"]]
    assert set(rest) == everything - set(shown)
    events = _reads(AuditAction.QUEUE_LISTED)
    assert len(events) == 2
    assert events[1].enquiry_ids == sorted(rest)


def test_an_empty_queue_page_writes_nothing(officer_client):
    officer_client.get("/desk/?status=closed")
    assert _reads(AuditAction.QUEUE_LISTED) == []


def test_search_results_are_audited_by_ids_and_never_what_was_typed(
    officer_client, officer, ola, kari
):
    found = makers.make_enquiry(journalist=ola, topic="Vaksinelager i Nordland")
    makers.make_enquiry(journalist=kari, topic="Ventetider")

    response = officer_client.get("/desk/search/", {"q": "ola.nordmann@vg.no"})
    assert [hit.enquiry.pk for hit in response.context["hits"]] == [found.pk]
    (event,) = _reads(AuditAction.SEARCH_RESULTS)
    assert (event.actor_id, event.enquiry_ids, event.journalist_ids) == (
        officer.pk,
        [found.pk],
        [ola.pk],
    )
    _no_text(event, "ola.nordmann", "Vaksinelager")

    officer_client.get("/desk/search/", {"q": "finnes-ikke-noe-sted"})
    assert len(_reads(AuditAction.SEARCH_RESULTS)) == 1  # nothing shown, nothing read


def test_suggestions_are_audited_with_the_contacts_offered(officer_client, officer, ola, kari):
    response = officer_client.post("/desk/suggest/journalists/", {"q": "nordmann"})
    offered = [row["id"] for row in response.json()["results"]]
    assert sorted(offered) == sorted([ola.pk, kari.pk])
    (event,) = _reads(AuditAction.SUGGESTIONS)
    assert (event.actor_id, event.journalist_ids, event.enquiry_ids) == (
        officer.pk,
        sorted(offered),
        [],
    )
    _no_text(event, "nordmann")

    officer_client.post("/desk/suggest/journalists/", {"q": "kari.nordmann@nrk"})
    assert _reads(AuditAction.SUGGESTIONS)[-1].journalist_ids == [kari.pk]
    officer_client.post("/desk/suggest/outlets/", {"q": "VG"})  # outlets are not people
    assert len(_reads(AuditAction.SUGGESTIONS)) == 2


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_names_the_journalist_and_their_enquiries(officer_client, officer, ola, fmt):
    theirs = [makers.make_enquiry(journalist=ola) for _ in range(2)]
    makers.make_enquiry(topic="Noen andres")
    who = {
        "channel": "email",
        "requester_name": "Ola",
        "identity_check": "registered_email",
    }  # the rights request it answers
    assert officer_client.post(f"/desk/journalists/{ola.pk}/export.{fmt}", who).status_code == 200
    (event,) = _reads(AuditAction.JOURNALIST_EXPORTED)
    assert (event.actor_id, event.journalist_id) == (officer.pk, ola.pk)
    assert event.enquiry_ids == sorted(e.pk for e in theirs)


def test_the_enquiry_page_names_the_journalist_it_showed(officer_client, ola):
    enquiry = makers.make_enquiry(journalist=ola)
    officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    (event,) = _reads(AuditAction.ENQUIRY_VIEWED)
    assert (event.enquiry_id, event.journalist_ids) == (enquiry.pk, [ola.pk])


def test_the_card_names_its_enquiries_and_the_merge_candidates_it_showed(officer_client, ola):
    twin = makers.make_journalist(email="ola@nrk.no", mobile="+47 400 00 001")  # same name
    enquiry = makers.make_enquiry(journalist=ola)
    officer_client.get(f"/desk/journalists/{ola.pk}/")
    (event,) = _reads(AuditAction.JOURNALIST_VIEWED)
    assert (event.journalist_id, event.enquiry_ids, event.journalist_ids) == (
        ola.pk,
        [enquiry.pk],
        [twin.pk],
    )


# Admin: lists and records of journalists, enquiries and messages.


@pytest.fixture
def thread(ola):
    enquiry = makers.make_enquiry(journalist=ola)
    message = handling.add_message(
        enquiry_id=enquiry.pk, by=None, direction="in", body="Hei, svar før kl. 15"
    )
    return enquiry, message


def test_admin_lists_are_audited_with_the_rows_shown(admin_client, admin_user, thread, ola, kari):
    enquiry, message = thread
    other = makers.make_enquiry(journalist=kari)

    assert admin_client.get("/admin/enquiries/journalist/").status_code == 200
    assert admin_client.get("/admin/enquiries/enquiry/").status_code == 200
    assert admin_client.get("/admin/enquiries/message/").status_code == 200
    assert admin_client.get("/admin/enquiries/journalist/", {"q": "kari"}).status_code == 200

    journalists, enquiries, messages, searched = _reads(AuditAction.ADMIN_LISTED)
    assert {e.actor_id for e in (journalists, enquiries, messages)} == {admin_user.pk}
    assert journalists.journalist_ids == sorted([ola.pk, kari.pk])
    assert journalists.detail == {"model": "journalist", "ids": journalists.detail["ids"]}
    assert sorted(journalists.detail["ids"]) == sorted([ola.pk, kari.pk])
    assert enquiries.enquiry_ids == sorted([enquiry.pk, other.pk])
    assert enquiries.journalist_ids == sorted([ola.pk, kari.pk])
    assert (messages.detail["ids"], messages.enquiry_ids, messages.journalist_ids) == (
        [message.pk],
        [enquiry.pk],
        [ola.pk],
    )
    assert searched.journalist_ids == [kari.pk]
    _no_text(searched, "kari")


def test_admin_records_are_audited_with_their_target(admin_client, admin_user, thread, ola):
    enquiry, message = thread
    for url in (
        f"/admin/enquiries/journalist/{ola.pk}/change/",
        f"/admin/enquiries/enquiry/{enquiry.pk}/change/",
        f"/admin/enquiries/message/{message.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200

    journalist, enquiry_event, message_event = _reads(AuditAction.ADMIN_VIEWED)
    assert (journalist.actor_id, journalist.journalist_id, journalist.detail) == (
        admin_user.pk,
        ola.pk,
        {"model": "journalist", "ids": [ola.pk]},
    )
    assert (enquiry_event.enquiry_id, enquiry_event.journalist_ids) == (enquiry.pk, [ola.pk])
    assert (message_event.detail, message_event.enquiry_ids, message_event.journalist_ids) == (
        {"model": "message", "ids": [message.pk]},
        [enquiry.pk],
        [ola.pk],
    )
    # A record that is not there is not a read.
    admin_client.get("/admin/enquiries/journalist/999999/change/")
    assert len(_reads(AuditAction.ADMIN_VIEWED)) == 3


def test_an_admin_history_page_is_audited_like_the_record(admin_client, admin_user, ola):
    response = admin_client.get(f"/admin/enquiries/journalist/{ola.pk}/history/")
    assert response.status_code == 200
    assert ola.last_name in response.content.decode()  # headed with the record's name
    [event] = _reads(AuditAction.ADMIN_VIEWED)
    assert (event.actor_id, event.journalist_id, event.detail) == (
        admin_user.pk,
        ola.pk,
        {"model": "journalist", "ids": [ola.pk], "page": "history"},
    )
    _no_text(event, ola.last_name, ola.email)
    admin_client.get("/admin/enquiries/journalist/999999/history/")
    assert len(_reads(AuditAction.ADMIN_VIEWED)) == 1


def _staff_with_model_permissions(**extra: object) -> Client:
    user = makers.make_user(username="staff", is_staff=True, **extra)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_journalist", "view_enquiry", "view_message", "view_outlet"]
        )
    )
    client = Client()
    client.force_login(user)
    return client


PERSONAL_ADMIN = ["journalist", "enquiry", "message"]


def test_model_permissions_without_the_desk_permission_show_no_personal_data(thread, ola):
    enquiry, message = thread
    client = _staff_with_model_permissions()
    pages = [f"/admin/enquiries/{model}/" for model in PERSONAL_ADMIN] + [
        f"/admin/enquiries/journalist/{ola.pk}/change/",
        f"/admin/enquiries/enquiry/{enquiry.pk}/change/",
        f"/admin/enquiries/message/{message.pk}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"ola.nordmann@vg.no" not in response.content
    index = client.get("/admin/").content.decode()
    assert "/admin/enquiries/outlet/" in index  # the model permission itself works
    for model in PERSONAL_ADMIN:
        assert f"/admin/enquiries/{model}/" not in index
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.ADMIN_LISTED, AuditAction.ADMIN_VIEWED]
    ).exists()


def test_model_permissions_with_the_desk_permission_show_it_and_are_audited(thread, ola):
    client = _staff_with_model_permissions()
    from django.contrib.auth.models import Group, User

    User.objects.get(username="staff").groups.add(Group.objects.get(name="Press officers"))
    response = client.get("/admin/enquiries/journalist/")
    assert response.status_code == 200
    assert b"ola.nordmann@vg.no" in response.content
    assert _reads(AuditAction.ADMIN_LISTED)[0].journalist_ids == [ola.pk]


def test_the_audit_admin_finds_the_reads_that_listed_a_journalist(admin_client, ola, kari):
    makers.make_enquiry(journalist=ola)
    makers.make_enquiry(journalist=kari)
    officer = makers.make_officer(username="kari-vakt")
    reader = Client()
    reader.force_login(officer)
    reader.post("/desk/suggest/journalists/", {"q": "kari.nordmann@nrk"})
    response = admin_client.get("/admin/enquiries/auditevent/", {"q": str(kari.pk)})
    shown = {event.action for event in response.context["cl"].result_list}
    assert AuditAction.SUGGESTIONS in shown
    assert AuditAction.JOURNALIST_CREATED in shown  # its own journalist_id, as before
    response = admin_client.get("/admin/enquiries/auditevent/", {"q": str(ola.pk)})
    assert AuditAction.SUGGESTIONS not in {e.action for e in response.context["cl"].result_list}


def test_the_bench_twin_of_a_page_writes_no_read_event(officer):
    from enquiries.core import audit

    def read():  # type: ignore[no-untyped-def]
        return audit.record_reads(actor=officer, action=AuditAction.QUEUE_LISTED, enquiry_ids=[1])

    with audit.reads_unrecorded():
        assert read() is None
    assert not AuditEvent.objects.exists()
    assert read() is not None


def test_the_edit_forms_are_reads_too(officer_client, officer, ola):
    enquiry = makers.make_enquiry(journalist=ola)
    officer_client.get(f"/desk/enquiries/{enquiry.pk}/edit/")
    officer_client.get(f"/desk/journalists/{ola.pk}/edit/")
    (seen_enquiry,) = _reads(AuditAction.ENQUIRY_VIEWED)
    assert (seen_enquiry.enquiry_id, seen_enquiry.journalist_ids, seen_enquiry.detail) == (
        enquiry.pk,
        [ola.pk],
        {"page": "edit"},
    )
    (seen_contact,) = _reads(AuditAction.JOURNALIST_VIEWED)
    assert (seen_contact.journalist_id, seen_contact.detail) == (ola.pk, {"page": "edit"})
