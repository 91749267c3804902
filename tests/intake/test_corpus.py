"""The messy-mail corpus (tests/mail_corpus/): each kind is stored without a traceback, in
the place it belongs, with readable text."""

from pathlib import Path

import pytest
from django.utils import timezone

from enquiries.intake import inbound_mail
from enquiries.intake.mail_text import split_quoted
from enquiries.mail import outbox
from enquiries.models import Attachment, Enquiry, HeldMail, Journalist, Message
from tests import makers

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / "mail_corpus"


def ingest(name: str) -> inbound_mail.Ingested:
    return inbound_mail.ingest((CORPUS / name).read_bytes())


def body(name: str) -> str:
    result = ingest(name)
    assert result.outcome == "new", result
    assert result.message is not None
    return result.message.body


def test_every_file_of_the_corpus_is_taken_without_a_traceback():
    names = sorted(path.name for path in CORPUS.glob("*.eml"))
    assert len(names) >= 24
    for name in names:
        assert ingest(name).outcome in {"new", "joined", "noted", "held"}, name
        assert ingest(name).outcome == "duplicate", name  # the same bytes twice: once


def test_multipart_alternative_keeps_the_plain_text():
    assert body("multipart_alternative.eml") == "Hvor store er vaksinelagrene?"


def test_html_becomes_text_with_nothing_active_or_remote():
    text = body("html_only_script.eml")
    assert "Kan dere sende tallene?" in text
    assert "2025" in text
    assert "412" in text
    for gone in ("alert", "steal", "tracker.example", "color:red", "<"):
        assert gone not in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("quoted_printable.eml", "blåbærsyltetøy og smittevern, ærlig talt"),
        ("base64.eml", "Når kommer rapporten om beredskap?"),
        ("iso_8859_1.eml", "Blåbærsyltetøy \u2013 og grøt."),  # a cp1252 dash mislabelled
        ("windows_1252.eml", "«Mye», sier de \u2013 over 5 € per dose. \u201cSitat\u201d"),
        ("unknown_charset.eml", "Hei, dette er æøå i UTF-8."),
        ("invalid_utf8.eml", "Gyldig start"),
    ],
)
def test_encodings_and_charsets_are_read(name, expected):
    assert expected in body(name)


def test_rfc2047_headers_with_aeoa():
    result = ingest("rfc2047_headers.eml")
    assert result.message is not None
    assert result.message.subject == "Spørsmål om æøå"
    journalist = Journalist.objects.get(email="ase.odegard@nrk.no")
    assert (journalist.first_name, journalist.last_name) == ("Åse", "Ødegård")


def test_an_rfc2231_file_name_is_kept_with_its_content():
    ingest("rfc2231_filename.eml")
    attachment = Attachment.objects.get()
    assert attachment.filename == "rækkefølge år.pdf"
    assert bytes(attachment.content) == b"%PDF-1.4\n"
    assert (attachment.content_type, attachment.size) == ("application/pdf", 9)


def test_no_date_means_now_and_no_message_id_is_still_taken_once():
    before = timezone.now()
    message = ingest("no_date.eml").message
    assert message is not None
    assert message.sent_at >= before
    first = ingest("no_message_id.eml")
    assert first.outcome == "new"
    assert first.message is not None
    assert first.message.message_id == ""
    assert ingest("no_message_id.eml").outcome == "duplicate"


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [("no_display_name.eml", "noname", ""), ("one_word_name.eml", "Nordmann", "")],
)
def test_senders_without_a_full_name(name, first, last):
    assert ingest(name).outcome == "new"
    journalist = Journalist.objects.get()
    assert (journalist.first_name, journalist.last_name) == (first, last)


def test_forwarded_mail_is_kept_whole_as_an_attachment():
    message = ingest("forwarded_rfc822.eml").message
    assert message is not None
    assert message.body == "Se videresendt e-post."
    attachment = Attachment.objects.get()
    assert attachment.content_type == "message/rfc822"
    assert b"Original tekst." in bytes(attachment.content)


def test_a_calendar_invitation_keeps_its_text_and_its_ics():
    message = ingest("calendar_invite.eml").message
    assert message is not None
    assert message.body == "Intervju tirsdag kl. 10."
    attachment = Attachment.objects.get()
    assert (attachment.filename, attachment.content_type) == ("attachment.ics", "text/calendar")


def test_broken_headers_are_stored_as_well_as_they_can_be_read():
    result = ingest("broken_headers.eml")
    assert result.outcome == "new"
    assert result.message is not None
    assert result.message.from_address == "broken@vg.no"
    assert "\n" not in result.message.subject


def test_quoted_history_is_kept_and_folded_away():
    message = ingest("quoted_reply.eml").message
    assert message is not None
    assert "> Svar på spørsmålet ditt." in message.body  # kept
    written, quoted = split_quoted(message.body)
    assert written == "Takk, et siste spørsmål: når?"
    assert quoted.startswith("Den tir. 1. des. 2026 kl. 09:00 skrev")


@pytest.fixture
def ours() -> Enquiry:
    """An enquiry of Ola's with one mail of ours (its Message-ID known to the outbox)."""
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    mail = outbox.queue_email(
        kind="reply", to="ola.nordmann@vg.no", subject="Svar", body="Svar", key="corpus-1",
        enquiry=enquiry,
    )  # fmt: skip
    mail.message_id = "<ours-corpus@helseetaten.no>"
    mail.save(update_fields=["message_id"])
    return enquiry


def test_an_automatic_reply_to_ours_is_noted_in_the_thread_and_changes_nothing(ours):
    result = ingest("auto_reply_to_ours.eml")
    assert (result.outcome, result.enquiry) == ("noted", ours)
    message = Message.objects.get(enquiry=ours)
    assert message.automatic
    ours.refresh_from_db()
    assert ours.status == "new"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("out_of_office_unmatched.eml", "auto_reply"),
        ("return_path_null.eml", "auto_reply"),
        ("bulk_list.eml", "bulk"),
        ("precedence_bulk.eml", "bulk"),
    ],
)
def test_automatic_and_bulk_mail_never_becomes_an_enquiry(name, reason, ours):
    result = ingest(name)
    assert result.outcome == "held"
    assert HeldMail.objects.get().reason == reason
    assert Enquiry.objects.count() == 1


def test_a_permanent_bounce_is_held_and_marks_the_journalists_address(ours):
    result = ingest("bounce_dsn.eml")
    assert result.outcome == "held"
    held = HeldMail.objects.get()
    assert (held.reason, held.named_reference) == ("bounce", ours.reference)
    assert Journalist.objects.get().email_bounced_at is not None
    assert Enquiry.objects.count() == 1


def test_a_mail_over_the_size_limit_is_held_with_its_headers(settings):
    settings.PRESSDESK_INBOX_MAX_MAIL_BYTES = 65536
    raw = (CORPUS / "multipart_alternative.eml").read_bytes() + b"x" * 70000
    result = inbound_mail.ingest(raw)
    assert result.outcome == "held"
    held = HeldMail.objects.get()
    assert (held.reason, held.subject, held.size) == ("too_large", "Vaksinelager", len(raw))


def test_attachments_past_the_per_mail_limit_are_recorded_by_name_and_size(settings):
    settings.PRESSDESK_INBOX_ATTACHMENTS_MAX_BYTES = 5000
    parts = "".join(
        f"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
        f'filename="f{n}.bin"\r\n\r\n{"x" * 3000}\r\n'
        for n in range(3)
    )
    raw = (
        "From: Kari <kari@nrk.no>\r\nSubject: Filer\r\nMessage-ID: <files@nrk.no>\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        f"--b\r\nContent-Type: text/plain\r\n\r\nTre filer.\r\n{parts}--b--\r\n"
    ).encode()
    inbound_mail.ingest(raw)
    kept = [(a.filename, a.size, a.content is not None) for a in Attachment.objects.all()]
    assert kept == [("f0.bin", 3000, True), ("f1.bin", 3000, False), ("f2.bin", 3000, False)]


def test_a_mail_that_reads_as_an_foi_request_is_suggested_for_forwarding(officer_client):
    result = ingest("foi_request.eml")
    assert result.enquiry is not None
    page = officer_client.get(f"/desk/enquiries/{result.enquiry.pk}/").content.decode()
    assert 'id="foi-suggestion"' in page


def test_the_journalist_may_join_by_reference_but_nobody_else_may(ours):
    mail = (CORPUS / "multipart_alternative.eml").read_bytes()
    from_ola = mail.replace(b"Kari Hansen <kari.hansen@nrk.no>", b"<OLA.Nordmann@vg.no>")
    joined = inbound_mail.ingest(
        from_ola.replace(b"Subject: Vaksinelager", f"Subject: Sv: [{ours.reference}]".encode())
    )
    assert (joined.outcome, joined.enquiry) == ("joined", ours)
    stranger = inbound_mail.ingest(
        mail.replace(b"Subject: Vaksinelager", f"Subject: Re: {ours.reference} x".encode()).replace(
            b"<alt@nrk.no>", b"<alt2@nrk.no>"
        )
    )
    assert stranger.outcome == "held"
    assert HeldMail.objects.get().flagged
    assert Message.objects.filter(enquiry=ours).count() == 1


def test_the_card_shows_the_bounced_address_until_mail_comes_from_it(ours, officer_client):
    journalist = ours.journalist
    assert journalist is not None
    ingest("bounce_dsn.eml")
    page = officer_client.get(f"/desk/journalists/{journalist.pk}/").content.decode()
    assert 'id="address-bounced"' in page
    from_ola = (CORPUS / "multipart_alternative.eml").read_bytes()
    inbound_mail.ingest(
        from_ola.replace(b"Kari Hansen <kari.hansen@nrk.no>", b"ola.nordmann@vg.no")
    )
    journalist.refresh_from_db()
    assert journalist.email_bounced_at is None
