"""The reply form on the enquiry page: sending, "send and mark answered", inserting a canned
reply, bad input, and the delivery state of our mails in the thread (with a retry), the FOI
forwarding and the acknowledgement among them."""

import pytest

from enquiries.foi import routing as foi_routing
from enquiries.handling import enquiries as handling
from enquiries.intake.public_form import Submission, submit
from enquiries.mail import outbox
from enquiries.models import CannedReply, Enquiry, Message, OutboundEmail
from tests import makers

pytestmark = pytest.mark.django_db

KEY = "0b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11"


@pytest.fixture
def enquiry() -> Enquiry:
    enquiry = makers.make_enquiry(journalist=makers.make_journalist(), channel="email")
    handling.add_message(
        enquiry_id=enquiry.pk, by=None, direction="in", from_address="ola.nordmann@vg.no",
        subject="SV: Veilederen", body="Når kommer den?", message_id="<q1@vg.no>",
    )  # fmt: skip
    return enquiry


def _url(enquiry: Enquiry) -> str:
    return f"/desk/enquiries/{enquiry.pk}/reply/"


def test_the_page_offers_a_reply_to_the_journalist_in_answer_to_the_newest_mail(
    officer_client, enquiry
):
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    form = page.context["reply_form"]
    inbound = Message.objects.get(direction="in")
    assert form.initial["subject"] == "Re: Veilederen"
    assert form.initial["answers"] == inbound.pk
    html = page.content.decode()
    assert 'id="reply-to">Ola Nordmann &lt;ola.nordmann@vg.no&gt;' in html
    assert 'id="reply-send-answered"' in html


def test_send_and_mark_answered_puts_the_reply_in_the_thread_as_queued(officer_client, enquiry):
    inbound = Message.objects.get(direction="in")
    response = officer_client.post(
        _url(enquiry),
        {"key": KEY, "subject": "Re: Veilederen", "body": "Den kommer i mars.",
         "cc": "desk@nrk.no", "answers": str(inbound.pk), "action": "send_answered"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"/desk/enquiries/{enquiry.pk}/#thread"
    mail = OutboundEmail.objects.get(kind="reply")
    assert (mail.to_address, mail.cc, mail.headers["In-Reply-To"]) == (
        "ola.nordmann@vg.no",
        "desk@nrk.no",
        "<q1@vg.no>",
    )
    enquiry.refresh_from_db()
    assert enquiry.status == "answered"
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert f'id="delivery-{mail.pk}"' in page
    assert "mail-queued" in page
    assert "Den kommer i mars." in page

    again = officer_client.post(
        _url(enquiry),
        {"key": KEY, "subject": "Re: Veilederen", "body": "Den kommer i mars.",
         "action": "send"},
    )  # fmt: skip
    assert again.status_code == 302
    assert OutboundEmail.objects.filter(kind="reply").count() == 1  # a replay sends nothing


def test_inserting_a_canned_reply_fills_the_text_and_sends_nothing(
    officer_client, officer, enquiry
):
    canned = CannedReply.objects.create(name="Mottatt", body="Hei {journalist_name}!")
    response = officer_client.post(
        _url(enquiry),
        {"key": KEY, "subject": "Re: Veilederen", "body": "", "canned": str(canned.pk),
         "action": "insert"},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["reply_form"]
    assert form.initial["body"] == "Hei Ola Nordmann!"
    assert form.initial["key"] == KEY  # the same reply: a send after this is still one mail
    assert "Hei Ola Nordmann!</textarea>" in response.content.decode()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"cc": "ikke en adresse"}, "cc", "Each copy must be an e-mail address"),
        ({"cc": "a@b.no\r\nBcc: x@evil.example"}, "cc", "control characters"),
        ({"cc": "x@localhost"}, "cc", "Each copy must be an e-mail address"),
        ({"body": "  "}, "body", "Write the reply."),
        ({"subject": "Hei\nBcc: x@evil.example"}, "subject", "control characters"),
        ({"key": "not-a-key"}, "key", "reload the page"),
        ({"answers": "99999999999999999999"}, "answers", "valid choice"),
        ({"action": "insert", "canned": ""}, "canned", "Choose a canned reply"),
    ],
)
def test_bad_input_is_a_clear_error_and_sends_nothing(
    officer_client, enquiry, fields, field, error, settings
):
    settings.LANGUAGE_CODE = "en"
    data = {"key": KEY, "subject": "Re: x", "body": "Svar.", "action": "send", **fields}
    response = officer_client.post(_url(enquiry), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert error in " ".join(response.context["reply_form"].errors[field])
    assert not OutboundEmail.objects.exists()


def test_no_address_on_the_card_is_said_on_the_page_and_refused(officer_client):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist(email=None))
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert 'id="reply-send"' not in page
    response = officer_client.post(
        _url(enquiry), {"key": KEY, "subject": "Re: x", "body": "Svar.", "action": "send"}
    )
    assert response.status_code == 400
    assert not OutboundEmail.objects.exists()


def test_only_press_officers_may_reply(client, outsider_client, enquiry):
    data = {"key": KEY, "subject": "Re: x", "body": "Svar.", "action": "send"}
    assert client.post(_url(enquiry), data).status_code == 302  # to the login page
    assert outsider_client.post(_url(enquiry), data).status_code == 403
    assert not OutboundEmail.objects.exists()


def test_a_failed_delivery_shows_its_reason_in_the_thread_with_a_retry(officer_client, enquiry):
    officer_client.post(
        _url(enquiry), {"key": KEY, "subject": "Re: x", "body": "Svar.", "action": "send"}
    )
    mail = OutboundEmail.objects.get(kind="reply")
    outbox.mark_failed(email_id=mail.pk, reason="refused by the mail server (SMTP 550)")
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    delivery = page[page.index(f'id="delivery-{mail.pk}"') :]
    assert "refused by the mail server (SMTP 550)" in delivery[:2000]
    assert f"/desk/enquiries/{enquiry.pk}/mail/{mail.pk}/retry/" in delivery[:2000]
    officer_client.post(f"/desk/enquiries/{enquiry.pk}/mail/{mail.pk}/retry/")
    mail.refresh_from_db()
    assert mail.status == "queued"


def test_the_foi_forwarding_and_the_acknowledgement_are_in_the_thread(smtp, officer_client):
    enquiry, _created = submit(
        Submission(
            first_name="Kari", last_name="Nordmann", outlet="Dagbladet",
            email="kari.nordmann@dagbladet.no", phone="", mobile="", topic="Innsyn i avtalen",
            question="Jeg ber om innsyn, jf. offentleglova § 3.", deadline=None, is_foi=True,
            opt_out=False, key="form-key-1",
        )
    )  # fmt: skip
    routing = enquiry.foi_routing
    forwarding = Message.objects.get(outbound=routing.delivery)
    assert forwarding.direction == "out"
    assert forwarding.subject.endswith(f"[{enquiry.reference}]")
    assert outbox.deliver(email_id=routing.delivery_id) == "sent"
    acknowledgement = OutboundEmail.objects.get(kind=foi_routing.ACKNOWLEDGEMENT_KIND)
    assert acknowledgement.enquiry is None  # kept apart from the enquiry's strip
    entry = Message.objects.get(outbound=acknowledgement)
    assert entry.enquiry_id == enquiry.pk
    outbox.mark_failed(email_id=acknowledgement.pk, reason="SMTP 451")
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert f'id="delivery-{routing.delivery_id}"' in page
    assert f'id="delivery-{acknowledgement.pk}"' in page
    # Its retry is the enquiry's to give, though the row is not tied to it.
    retry = f"/desk/enquiries/{enquiry.pk}/mail/{acknowledgement.pk}/retry/"
    assert retry in page
    assert officer_client.post(retry).status_code == 302
    acknowledgement.refresh_from_db()
    assert acknowledgement.status == "queued"
    sent = smtp.inbox.messages[0]
    assert sent["Subject"].endswith(f"[{enquiry.reference}]")
    assert sent["Auto-Submitted"] == "auto-generated"
    assert sent["Message-ID"] == routing.delivery.message_id
