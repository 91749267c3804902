"""An FOI flood from the form cannot reach the post registry (issue #16, item 2; TESTING.md
42): per-client, per-address and hourly caps; the rest wait for an officer, nothing lost."""

import pytest

from enquiries.forms.public import new_form_stamp
from enquiries.mail import outbox
from enquiries.models import AuditEvent, Enquiry, FoiRouting, OutboundEmail
from tests.clients import FormClient as Client

pytestmark = pytest.mark.django_db

REGISTRY = "postmottak@helseetaten.example"


@pytest.fixture(autouse=True)
def _caps(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000
    settings.PRESSDESK_FORM_RATE_PER_DAY = 1000
    settings.PRESSDESK_FOI_PER_CLIENT_PER_HOUR = 2
    settings.PRESSDESK_FOI_PER_ADDRESS_PER_DAY = 2
    settings.PRESSDESK_FOI_PER_HOUR = 3


def _foi(n: int, **changes: str) -> dict[str, str]:
    return {
        "first_name": "Eve",
        "last_name": "Attacker",
        "outlet": "Nowhere",
        "email": f"third.party{n}@example.no",
        "topic": f"Innsynskrav {n}",
        "question": "x" * 4000,
        "is_foi": "on",
        "stamp": new_form_stamp(),
        "website": "",
        **changes,
    }


def _to_registry() -> int:
    return OutboundEmail.objects.filter(to_address=REGISTRY).count()


def _statuses() -> list[str]:
    return list(FoiRouting.objects.order_by("pk").values_list("status", flat=True))


def test_one_client_gets_its_cap_through_and_the_rest_wait_for_an_officer():
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(5):
        response = client.post("/enquiry/", _foi(n))
        assert response.status_code == 302
        # The requester is told it was received, held or not.
        assert client.get(response["Location"]).status_code == 200
    assert Enquiry.objects.filter(kind="foi").count() == 5  # nothing lost
    assert _statuses() == ["queued", "queued", "held", "held", "held"]
    assert _to_registry() == 2
    assert AuditEvent.objects.filter(action="foi.held").count() == 3


def test_one_address_from_many_clients_is_capped():
    for n in range(4):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post("/enquiry/", _foi(0))
    assert _statuses() == ["queued", "queued", "held", "held"]
    assert _to_registry() == 2


def test_many_clients_and_addresses_meet_the_hourly_cap():
    for n in range(6):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post("/enquiry/", _foi(n))
    assert _statuses() == ["queued"] * 3 + ["held"] * 3
    assert _to_registry() == 3


def test_an_officer_releases_a_held_request_once(officer, officer_client):
    for n in range(4):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post("/enquiry/", _foi(n))
    held = FoiRouting.objects.get(status="held")
    queue = officer_client.get("/desk/")
    assert queue.context["counts"]["foi_held"] == 1
    page = officer_client.get(f"/desk/enquiries/{held.enquiry_id}/").content.decode()
    assert 'id="routing-release"' in page
    response = officer_client.post(f"/desk/enquiries/{held.enquiry_id}/routing/release/")
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == "queued"
    assert held.delivery.to_address == REGISTRY
    officer_client.post(f"/desk/enquiries/{held.enquiry_id}/routing/release/")  # a double click
    assert _to_registry() == 4
    released = AuditEvent.objects.get(action="foi.released")
    assert (released.actor_id, released.enquiry_id) == (officer.pk, held.enquiry_id)
    # Forwarded, the requester's acknowledgement carries no attacker text.
    assert outbox.deliver(email_id=held.delivery_id) == "sent"
    ack = OutboundEmail.objects.get(
        kind="foi_acknowledgement", to_address="third.party3@example.no"
    )
    assert "Innsynskrav 3" not in ack.body
    assert "xxxx" not in ack.body
    assert "Eve" not in ack.body
