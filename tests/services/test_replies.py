"""Replies from the desk (issue #18 item 6) through the outbox to a real SMTP server on
loopback: threading headers, canned replies and the signature, "send and mark answered",
double clicks, opted-out enquiries and erasure."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries.core.desk_settings import update_desk_settings
from enquiries.core.errors import InvalidTransition
from enquiries.handling import canned, replies
from enquiries.handling import enquiries as handling
from enquiries.mail import outbox
from enquiries.models import AuditEvent, CannedReply, Enquiry, Message, OutboundEmail
from enquiries.privacy.erasure import erase_contact
from tests import makers

pytestmark = pytest.mark.django_db

KEY = "0b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11"


def _inbound(enquiry: Enquiry, *, message_id: str, minutes_ago: int, subject: str) -> Message:
    return handling.add_message(
        enquiry_id=enquiry.pk, by=None, direction="in", from_address="ola.nordmann@vg.no",
        to_address="presse@helseetaten.example", subject=subject, body="Hei, et spørsmål til.",
        message_id=message_id, sent_at=timezone.now() - timedelta(minutes=minutes_ago),
    )  # fmt: skip


def _send(enquiry: Enquiry, by, **extra: object) -> Message:  # type: ignore[no-untyped-def]
    fields: dict[str, object] = {
        "key": KEY, "subject": "Re: Veilederen", "body": "Hei Ola,\n\nSvar kommer her.",
        **extra,
    }  # fmt: skip
    return replies.send_reply(enquiry_id=enquiry.pk, by=by, **fields)  # type: ignore[arg-type]


def test_a_reply_reaches_the_journalist_threaded_under_the_mail_it_answers(smtp, officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist(), channel="email")
    _inbound(enquiry, message_id="<first@vg.no>", minutes_ago=30, subject="Veilederen")
    answered = _inbound(enquiry, message_id="<second@vg.no>", minutes_ago=10, subject="SV: Veil")
    message = _send(enquiry, officer, cc=["redaksjonen@vg.no"], answers_id=answered.pk)

    mail = message.outbound
    assert (message.direction, message.message_id) == ("out", mail.message_id)
    assert mail.message_id.startswith("<")
    assert mail.message_id.endswith(">")
    assert outbox.deliver(email_id=mail.pk) == "sent"

    [sent] = smtp.inbox.messages
    assert sent["To"] == "ola.nordmann@vg.no"
    assert sent["Cc"] == "redaksjonen@vg.no"
    assert sent["Message-ID"] == mail.message_id
    assert sent["Subject"] == f"Re: Veilederen [{enquiry.reference}]"
    assert sent["In-Reply-To"] == "<second@vg.no>"
    assert sent["References"] == "<first@vg.no> <second@vg.no>"
    assert sent["Thread-Topic"] == enquiry.reference
    index = base64.b64decode(sent["Thread-Index"])
    assert len(index) == 27  # the 22-byte conversation block and one 5-byte child block
    assert sent["Auto-Submitted"] is None  # a person wrote it: auto-replies may answer
    assert "Svar kommer her." in sent.get_content()
    message.refresh_from_db()
    assert message.outbound.status == "sent"


def test_every_mail_of_one_enquiry_shares_outlook_s_conversation(smtp, officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    first = _send(enquiry, officer).outbound
    second = _send(enquiry, officer, key="1b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11").outbound
    other = _send(makers.make_enquiry(journalist=enquiry.journalist, topic="Annet"), officer)
    index = {m.pk: base64.b64decode(m.headers["Thread-Index"]) for m in (first, second)}
    assert index[first.pk][:22] == index[second.pk][:22]
    assert base64.b64decode(other.outbound.headers["Thread-Index"])[:22] != index[first.pk][:22]
    assert "In-Reply-To" not in first.headers  # it answers no particular mail


def test_a_reply_can_only_answer_a_mail_of_its_own_thread(officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    other = makers.make_enquiry(journalist=makers.make_journalist(email="kari@nrk.no"))
    foreign = _inbound(other, message_id="<x@nrk.no>", minutes_ago=5, subject="Hei")
    with pytest.raises(replies.NotInThisThread):
        _send(enquiry, officer, answers_id=foreign.pk)
    assert not OutboundEmail.objects.exists()


def test_the_desk_signature_and_a_canned_reply_fill_their_placeholders(officer):
    officer.first_name, officer.last_name = "Siri", "Vakt"
    officer.save()
    update_desk_settings(by=None, signature="Med vennlig hilsen\n{officer_name}\nPressevakten")
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    template = CannedReply.objects.create(
        name="Mottatt",
        body="Hei {journalist_name}, vi ser på {reference}. {ukjent} — {officer_name}",
    )
    text = canned.canned_text(canned_id=template.pk, enquiry=enquiry, officer=officer)
    assert text == f"Hei Ola Nordmann, vi ser på {enquiry.reference}. {{ukjent}} — Siri Vakt"
    assert canned.unknown_placeholders(template.body) == ["ukjent"]

    mail = _send(enquiry, officer, body=text).outbound
    assert mail.body == f"{text}\n\n-- \nMed vennlig hilsen\nSiri Vakt\nPressevakten\n"
    template.is_active = False
    template.save()
    with pytest.raises(canned.CannedReplyNotFound):
        canned.canned_text(canned_id=template.pk, enquiry=enquiry, officer=officer)


def test_a_double_click_sends_one_reply(officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    first = _send(enquiry, officer)
    again = _send(enquiry, officer)
    assert first.pk == again.pk
    assert OutboundEmail.objects.count() == 1
    assert Message.objects.filter(direction="out").count() == 1
    event = AuditEvent.objects.get(action="reply.queued")
    assert event.detail == {"message_id": first.pk, "mail_id": first.outbound_id, "copies": 0}


def test_send_and_mark_answered_is_one_step_and_all_or_nothing(officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    _send(enquiry, officer, mark_answered=True)
    enquiry.refresh_from_db()
    assert enquiry.status == "answered"
    assert enquiry.answered_at is not None

    routed = makers.make_enquiry(journalist=makers.make_journalist(email="kari@nrk.no"))
    Enquiry.objects.filter(pk=routed.pk).update(status="routed")
    with pytest.raises(InvalidTransition):
        _send(routed, officer, key="2b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11", mark_answered=True)
    assert not OutboundEmail.objects.filter(enquiry=routed).exists()  # nothing queued either
    assert not Message.objects.filter(enquiry=routed).exists()


def test_no_reply_without_an_address_on_the_card(officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist(email=None))
    with pytest.raises(replies.NoAddressToReplyTo):
        _send(enquiry, officer)


def test_an_opted_out_enquiry_is_answered_then_stripped_once_the_reply_has_gone(smtp, officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist(), opted_out=True)
    message = _send(enquiry, officer, mark_answered=True)
    enquiry.refresh_from_db()
    # Held while the reply is on its way: the address and the text are still needed.
    assert (enquiry.status, enquiry.topic) == ("answered", "Høringen om ME/CFS-veilederen")
    assert Message.objects.filter(pk=message.pk).exists()

    assert outbox.deliver(email_id=message.outbound_id) == "sent"
    assert len(smtp.inbox.messages) == 1
    enquiry.refresh_from_db()
    assert (enquiry.topic, enquiry.details, enquiry.journalist) == ("", "", None)
    assert not Message.objects.filter(enquiry=enquiry).exists()
    assert not OutboundEmail.objects.exists()  # its mails are stripped with it
    assert AuditEvent.objects.filter(action="privacy.stripped", enquiry_id=enquiry.pk).exists()


def test_an_opted_out_enquiry_closed_with_a_failed_reply_is_stripped(officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist(), opted_out=True)
    message = _send(enquiry, officer, mark_answered=True)
    outbox.mark_failed(email_id=message.outbound_id, reason="refused (SMTP 550)")
    enquiry.refresh_from_db()
    assert enquiry.topic  # still held: an officer may retry the reply
    handling.change_status(enquiry_id=enquiry.pk, status="closed", by=officer)
    enquiry.refresh_from_db()
    assert (enquiry.topic, enquiry.journalist) == ("", None)
    assert not OutboundEmail.objects.exists()


def test_erasure_removes_replies_and_replies_copied_to_the_erased_person(officer):
    ola = makers.make_journalist()
    kari = makers.make_journalist(first_name="Kari", email="kari@nrk.no", mobile="")
    own = makers.make_enquiry(journalist=ola)
    _send(own, officer)
    other = makers.make_enquiry(journalist=kari, topic="Kari sin sak")
    _send(other, officer, key="3b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11", cc=["Ola.Nordmann@vg.no"])
    untouched = _send(other, officer, key="4b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11")
    erase_contact(by=officer, via="desk", email="ola.nordmann@vg.no")
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [untouched.outbound_id]
    # The copy in Kari's thread keeps the reply, with the erased address replaced.
    copied = Message.objects.filter(enquiry=other).exclude(pk=untouched.pk).get()
    assert copied.to_address == "kari@nrk.no, [erased]"


def test_a_message_id_that_cannot_be_a_header_is_left_out_not_a_failure(smtp, officer):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    odd = _inbound(enquiry, message_id="<x@vg.no>\r\nBcc: evil@example.com", minutes_ago=5,
                   subject="Hei")  # fmt: skip
    mail = _send(enquiry, officer, answers_id=odd.pk).outbound
    assert "In-Reply-To" not in mail.headers
    assert outbox.deliver(email_id=mail.pk) == "sent"
    [sent] = smtp.inbox.messages
    assert sent["Bcc"] is None
    assert sent["In-Reply-To"] is None
