"""`ingest_email < message.eml`: one inbound mail, threaded, never twice."""

import io
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from enquiries.models import Enquiry, HeldMail, Journalist, Message
from enquiries.privacy.opt_out import register_standing_opt_out
from tests import makers

pytestmark = pytest.mark.django_db


def _mail(
    *,
    subject: str = "Spørsmål om ME-veilederen",
    sender: str = "Ola Nordmann <Ola.Nordmann@VG.no>",
    message_id: str = "<abc123@vg.no>",
    extra: str = "",
    body: str = "Hei! Når kommer veilederen?\n\nHilsen Ola",
    content_type: str = "text/plain",
) -> bytes:
    return (
        f"From: {sender}\r\nTo: presse@helseetaten.example\r\nSubject: {subject}\r\n"
        f"Date: Sun, 22 Nov 2026 10:15:00 +0100\r\nMessage-ID: {message_id}\r\n{extra}"
        f"MIME-Version: 1.0\r\nContent-Type: {content_type}; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ).encode()


def _ingest(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = StringIO()
    with translation.override("en"):
        call_command("ingest_email", stdout=out)
    return out.getvalue().strip()


def test_a_new_mail_becomes_an_email_enquiry(monkeypatch):
    output = _ingest(_mail(), monkeypatch)
    enquiry = Enquiry.objects.get()
    assert output == f"New enquiry {enquiry.reference} with 1 message."
    assert (enquiry.channel, enquiry.topic) == ("email", "Spørsmål om ME-veilederen")
    journalist = Journalist.objects.get()
    assert (journalist.first_name, journalist.last_name, journalist.email) == (
        "Ola",
        "Nordmann",
        "ola.nordmann@vg.no",
    )
    message = Message.objects.get()
    assert message.direction == "in"
    assert message.body.startswith("Hei! Når kommer veilederen?")
    assert message.sent_at.isoformat() == "2026-11-22T09:15:00+00:00"


def test_the_same_mail_twice_is_ingested_once(monkeypatch):
    _ingest(_mail(), monkeypatch)
    output = _ingest(_mail(), monkeypatch)
    assert output == "Already ingested: nothing changed."
    assert (Enquiry.objects.count(), Message.objects.count()) == (1, 1)


def test_a_reply_with_our_reference_joins_its_enquiry(monkeypatch):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    output = _ingest(
        _mail(subject=f"Sv: {enquiry.reference} veilederen", message_id="<r1@vg.no>"), monkeypatch
    )
    assert output == f"Added 1 message to {enquiry.reference}."
    assert Enquiry.objects.count() == 1


def test_a_reply_by_in_reply_to_joins_its_enquiry(monkeypatch):
    _ingest(_mail(), monkeypatch)
    _ingest(
        _mail(
            subject="Sv: tråden", message_id="<r2@vg.no>", extra="In-Reply-To: <abc123@vg.no>\r\n"
        ),
        monkeypatch,
    )
    assert Enquiry.objects.count() == 1
    assert Message.objects.count() == 2


def test_a_sender_with_a_standing_opt_out_is_not_logged_once_closed(monkeypatch):
    register_standing_opt_out(by=None, email="OLA.NORDMANN@vg.no")
    _ingest(_mail(), monkeypatch)
    assert Enquiry.objects.get().opted_out


def test_header_injection_and_encoded_words_are_made_harmless(monkeypatch):
    raw = _mail(
        subject="=?utf-8?q?Sp=C3=B8rsm=C3=A5l_om_=C3=A6=C3=B8=C3=A5?=\r\n\tBcc: x@evil.example"
    )
    _ingest(raw, monkeypatch)
    message = Message.objects.get()
    assert "\n" not in message.subject
    assert "\r" not in message.subject
    assert message.subject.startswith("Spørsmål om æøå")


def test_an_html_only_mail_keeps_its_text(monkeypatch):
    _ingest(_mail(content_type="text/html", body="<p>Hei <b>der</b></p>"), monkeypatch)
    assert Message.objects.get().body == "Hei der"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "No e-mail on standard input."),
        (b"this is not an e-mail at all", "could not be read"),
    ],
)
def test_unreadable_input_is_a_one_line_refusal(raw, reason, monkeypatch):
    with pytest.raises(CommandError, match=reason):
        _ingest(raw, monkeypatch)
    assert not Enquiry.objects.exists()


def test_a_mail_without_a_usable_sender_waits_in_the_holding_pen(monkeypatch):
    output = _ingest(_mail(sender="Nobody <not-an-address>"), monkeypatch)
    assert output == "Held in the holding pen: No sender address."
    held = HeldMail.objects.get()
    assert (held.reason, held.subject) == ("no_sender", "Spørsmål om ME-veilederen")
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize(
    ("sender", "first", "last"),
    [
        ("noname@example.org", "noname", ""),
        ("<noname@example.org>", "noname", ""),
        ('"Nordmann" <noname@example.org>', "Nordmann", ""),
        (
            "=?utf-8?q?Kari_Hansen_=C3=98deg=C3=A5rd?= <noname@example.org>",
            "Kari Hansen",
            "Ødegård",
        ),
    ],
)
def test_a_sender_with_no_display_name_or_a_one_word_one_is_stored(
    sender, first, last, monkeypatch
):
    output = _ingest(_mail(sender=sender), monkeypatch)
    assert output.startswith("New enquiry P-")
    journalist = Journalist.objects.get()
    assert (journalist.first_name, journalist.last_name, journalist.email) == (
        first,
        last,
        "noname@example.org",
    )
    assert Message.objects.get().from_address == "noname@example.org"
