"""The holding pen on the desk: what waits there, and attach / new enquiry / discard."""

import pytest

from enquiries.intake import inbound_mail
from enquiries.models import AuditEvent, Enquiry, HeldMail, Message
from tests import makers

pytestmark = pytest.mark.django_db


def _hijack(reference: str) -> bytes:
    return (
        "From: Mallory <mallory@evil.example>\r\nTo: presse@helseetaten.no\r\n"
        f"Subject: Re: {reference} rettelse\r\nMessage-ID: <h1@evil.example>\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSe vedlagt innsynskrav.\r\n"
        "--b\r\nContent-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="krav.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n"
    ).encode()


@pytest.fixture
def enquiry() -> Enquiry:
    return makers.make_enquiry(journalist=makers.make_journalist())


@pytest.fixture
def held(enquiry) -> HeldMail:
    result = inbound_mail.ingest(_hijack(enquiry.reference))
    assert result.held is not None
    return result.held


def test_the_pen_shows_the_flagged_mail_and_the_read_is_audited(officer_client, held):
    response = officer_client.get("/desk/inbox/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "mallory@evil.example" in page
    assert "krav.pdf" in page
    assert "foi-suggestion" in page  # it reads as a request for access
    event = AuditEvent.objects.get(action="inbox.viewed")
    assert event.detail == {"held_mail": [held.pk]}


def test_attaching_puts_it_in_the_thread_with_its_attachment(officer_client, held, enquiry):
    response = officer_client.post(
        f"/desk/inbox/{held.pk}/attach/", {"reference": enquiry.reference.lower()}
    )
    assert response.status_code == 302
    message = Message.objects.get(enquiry=enquiry)
    assert message.from_address == "mallory@evil.example"
    assert [a.filename for a in message.attachments.all()] == ["krav.pdf"]
    assert not HeldMail.objects.exists()
    assert AuditEvent.objects.filter(action="inbox.attached", enquiry_id=enquiry.pk).exists()
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert "krav.pdf" in page


def test_a_wrong_reference_is_a_message_and_the_mail_stays(officer_client, held):
    response = officer_client.post(
        f"/desk/inbox/{held.pk}/attach/", {"reference": "P-2026-99999"}, follow=True
    )
    assert (
        "No enquiry has that reference." in response.content.decode() or response.status_code == 200
    )
    assert HeldMail.objects.filter(pk=held.pk).exists()


def test_making_an_enquiry_of_it(officer_client, held):
    response = officer_client.post(f"/desk/inbox/{held.pk}/enquiry/")
    assert response.status_code == 302
    made = Enquiry.objects.get(journalist__email="mallory@evil.example")
    assert made.messages.count() == 1
    assert not HeldMail.objects.exists()


def test_discarding_is_audited_and_removes_its_attachments(officer_client, held):
    assert officer_client.post(f"/desk/inbox/{held.pk}/discard/").status_code == 302
    assert not HeldMail.objects.exists()
    assert AuditEvent.objects.filter(action="inbox.discarded").exists()
    from enquiries.models import Attachment

    assert not Attachment.objects.exists()


def test_an_attachment_is_a_download_for_officers_only(officer_client, outsider_client, held):
    file = held.attachments.get()
    response = officer_client.get(f"/desk/attachments/{file.pk}/")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4\n"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith('attachment; filename="krav.pdf"')
    assert AuditEvent.objects.filter(action="attachment.downloaded").exists()
    assert outsider_client.get(f"/desk/attachments/{file.pk}/").status_code == 403
