"""Rights requests name who asked and how their identity was checked; erasure and export from
the journalist card answer a rights request (an open one, or one registered on the spot)."""

import json

import pytest
from django.utils import timezone

from enquiries.models import AuditEvent, ErasureReceipt, Journalist, RightsRequest
from enquiries.privacy.rights import open_rights_request
from tests import makers

pytestmark = pytest.mark.django_db

WHO = {"channel": "phone", "requester_name": "Ola Nordmann", "identity_check": "call_back"}


def _new_request(**changes: str) -> dict[str, str]:
    return {
        "kind": "access",
        "channel": "phone",
        "received_on": timezone.localdate().isoformat(),
        "requester_name": " Ola  Nordmann ",
        "identity_check": "in_person",
        **changes,
    }


def test_a_request_registered_at_the_desk_names_who_asked_and_how_it_was_checked(
    officer_client, stopped_clock
):
    ola = makers.make_journalist()
    response = officer_client.post("/desk/rights/new/", _new_request(email=" Ola.Nordmann@VG.no "))
    assert response.status_code == 302
    request = RightsRequest.objects.get()
    assert (request.requester_name, request.identity_check) == ("Ola Nordmann", "in_person")
    assert request.journalist == ola  # found by the address, so the card lists it
    page = officer_client.get("/desk/rights/", headers={"accept-language": "en"})
    html = page.content.decode()
    assert "Ola Nordmann" in html
    assert "ID checked in person" in html
    card = officer_client.get(f"/desk/journalists/{ola.pk}/")
    assert card.context["rights_requests"] == [request]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"requester_name": ""}, "requester_name"),
        ({"requester_name": "Ola\x00"}, "requester_name"),
        ({"requester_name": "x" * 201}, "requester_name"),
        ({"identity_check": ""}, "identity_check"),
        ({"identity_check": "self_service"}, "identity_check"),
        ({"identity_check": "trust_me"}, "identity_check"),
    ],
)
def test_a_request_without_who_or_how_is_a_field_error(officer_client, changes, field):
    response = officer_client.post("/desk/rights/new/", _new_request(**changes))
    assert response.status_code == 400
    assert field in response.context["request_form"].errors
    assert not RightsRequest.objects.exists()


def test_erasure_from_the_card_registers_and_completes_a_request_with_its_receipt(
    officer_client, officer
):
    ola = makers.make_journalist()
    makers.make_enquiry(journalist=ola)
    response = officer_client.post(
        f"/desk/journalists/{ola.pk}/erase/", {"confirm": "Nordmann", **WHO}
    )
    assert response.status_code == 302
    assert not Journalist.objects.exists()
    request = RightsRequest.objects.get()
    receipt = ErasureReceipt.objects.get()
    assert (request.kind, request.channel, request.status) == ("erasure", "phone", "done")
    assert (request.identity_check, request.erasure_receipt, request.created_by) == (
        "call_back",
        receipt,
        officer,
    )
    # Who asked was the person erased: the name goes too, the request and its clock stay.
    assert request.requester_name == ""
    assert not RightsRequest.objects.filter(requester_name__icontains="nordmann").exists()


def test_erasure_from_the_card_completes_the_contacts_open_request(officer_client):
    ola = makers.make_journalist()
    asked = open_rights_request(
        by=None,
        kind="erasure",
        channel="letter",
        journalist=ola,
        requester_name="Ola Nordmann",
        identity_check="in_person",
    )
    card = officer_client.get(f"/desk/journalists/{ola.pk}/").content.decode()
    assert f'<option value="{asked.pk}" selected>' in card  # the open request, chosen
    officer_client.post(
        f"/desk/journalists/{ola.pk}/erase/", {"confirm": "Nordmann", "request": asked.pk}
    )
    asked.refresh_from_db()
    assert (asked.status, asked.requester_name) == ("done", "")
    assert asked.erasure_receipt == ErasureReceipt.objects.get()
    assert RightsRequest.objects.count() == 1


def test_a_request_of_someone_else_or_of_another_kind_erases_nothing(officer_client):
    ola = makers.make_journalist()
    kari = makers.make_journalist(first_name="Kari", email="kari@nrk.no", mobile="")
    others = open_rights_request(by=None, kind="erasure", channel="letter", journalist=kari)
    access = open_rights_request(by=None, kind="access", channel="letter", journalist=ola)
    for request in (others, access):
        response = officer_client.post(
            f"/desk/journalists/{ola.pk}/erase/",
            {"confirm": "Nordmann", "request": request.pk},
            follow=True,
        )
        assert response.status_code == 200
        assert "not an open request" in response.content.decode() or "ikke en åpen forespørsel" in (
            response.content.decode()
        )
    assert Journalist.objects.count() == 2
    assert not ErasureReceipt.objects.exists()
    assert set(RightsRequest.objects.values_list("status", flat=True)) == {"open"}


@pytest.mark.parametrize(
    "missing", [{"requester_name": ""}, {"identity_check": ""}, {"channel": "self_service"}]
)
def test_an_erasure_without_who_asked_erases_nothing(officer_client, missing):
    ola = makers.make_journalist()
    response = officer_client.post(
        f"/desk/journalists/{ola.pk}/erase/", {"confirm": "Nordmann", **WHO, **missing}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/desk/journalists/{ola.pk}/"
    assert Journalist.objects.filter(pk=ola.pk).exists()
    assert not RightsRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="journalist.erased").exists()


def test_export_from_the_card_answers_an_access_request(officer_client):
    ola = makers.make_journalist()
    asked = open_rights_request(by=None, kind="access", channel="email", journalist=ola)
    response = officer_client.post(
        f"/desk/journalists/{ola.pk}/export.json", {"request": asked.pk, "channel": "email"}
    )
    assert response.status_code == 200
    assert json.loads(response.content)["journalists"][0]["email"] == "ola.nordmann@vg.no"
    asked.refresh_from_db()
    assert asked.status == "done"
    # A new request needs who asked and how their identity was checked.
    refused = officer_client.post(f"/desk/journalists/{ola.pk}/export.json", {"channel": "email"})
    assert refused.status_code == 302
    assert RightsRequest.objects.count() == 1


def test_export_is_not_served_by_get(officer_client):
    ola = makers.make_journalist()
    assert officer_client.get(f"/desk/journalists/{ola.pk}/export.json").status_code == 405
    assert not AuditEvent.objects.filter(action="journalist.exported").exists()


def test_a_self_service_request_says_how_the_identity_was_checked():
    from enquiries.privacy import self_service

    self_service._record("access")
    request = RightsRequest.objects.get()
    assert (request.channel, request.identity_check) == ("self_service", "self_service")
