"""Mail in the agency's name to addresses nobody confirmed (issue #16, item 1; TESTING.md 41):
fixed text only, and capped per recipient and in all, with what was held back shown to
officers."""

import pytest

from enquiries.forms.public import new_form_stamp
from enquiries.mail import outbox
from enquiries.models import Enquiry, OutboundEmail
from tests.clients import FormClient as Client

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.no"
PHISHING = "Your account is suspended: call +47 999 99 999 or visit https://evil.example/login"


@pytest.fixture(autouse=True)
def _no_fill_time_or_rate_limit(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000
    settings.PRESSDESK_FORM_RATE_PER_DAY = 1000


def _form(**changes: str) -> dict[str, str]:
    return {
        "first_name": PHISHING[:100],
        "last_name": "Evil https://evil.example",
        "outlet": "https://evil.example/login",
        "email": VICTIM,
        "mobile": "",
        "topic": PHISHING,
        "question": PHISHING + " Log in now: https://evil.example/login",
        "stamp": new_form_stamp(),
        "website": "",
        **changes,
    }


def _deliver_everything() -> None:
    while pending := list(
        OutboundEmail.objects.filter(status="queued").values_list("pk", flat=True)
    ):
        for email_id in pending:
            outbox.deliver(email_id=email_id)


@pytest.mark.parametrize("is_foi", ["", "on"], ids=["receipt", "foi-acknowledgement"])
def test_no_mail_to_the_unconfirmed_address_carries_what_the_visitor_wrote(smtp, is_foi):
    response = Client().post("/enquiry/", _form(is_foi=is_foi))
    assert response.status_code == 302
    _deliver_everything()
    to_victim = [m for m in smtp.inbox.messages if m["To"] == VICTIM]
    assert len(to_victim) == 1
    text = to_victim[0]["Subject"] + to_victim[0].get_content()
    assert Enquiry.objects.get().reference in text  # who we are and the reference: yes
    assert "evil" not in text.lower()
    assert "999 99 999" not in text
    assert "suspended" not in text
    # The journalist's own words stay on the receipt page.
    page = Client().get(response["Location"])
    assert page.status_code == 200


def test_mail_to_one_address_is_capped_and_the_rest_held_without_the_address(
    settings, officer_client
):
    settings.PRESSDESK_PUBLIC_MAIL_PER_RECIPIENT_PER_DAY = 3
    for n in range(5):
        response = Client(REMOTE_ADDR=f"203.0.113.{n}").post("/enquiry/", _form(topic=f"Sak {n}"))
        assert response.status_code == 302  # the enquiry is kept; only its mail is held
    assert Enquiry.objects.count() == 5
    rows = OutboundEmail.objects.order_by("pk")
    assert [row.status for row in rows] == ["queued"] * 3 + ["held"] * 2
    assert [row.to_address for row in rows if row.status == "held"] == ["", ""]
    # Officers see it: a count on the queue, and the held rows in the admin's outbox list.
    queue = officer_client.get("/desk/")
    assert queue.context["counts"]["mail_held"] == 2
    assert 'id="count-mail-held"' in queue.content.decode()
    # Another address is not held.
    Client().post("/enquiry/", _form(email="kari@nrk.no"))
    assert OutboundEmail.objects.filter(to_address="kari@nrk.no", status="queued").exists()


def test_mail_to_all_public_addresses_is_capped_per_hour(settings):
    settings.PRESSDESK_PUBLIC_MAIL_PER_HOUR = 2
    for n in range(4):
        Client().post("/enquiry/", _form(email=f"person{n}@example.no"))
    statuses = list(OutboundEmail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["queued", "queued", "held", "held"]


def test_the_privacy_link_is_capped_per_recipient_too(settings):
    settings.PRESSDESK_PUBLIC_MAIL_PER_RECIPIENT_PER_DAY = 2
    for _n in range(4):
        response = Client().post("/privacy/request/", {"purpose": "access", "email": VICTIM})
        assert response.status_code == 200  # the same answer whatever happens
    statuses = list(OutboundEmail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["queued", "queued", "held", "held"]
