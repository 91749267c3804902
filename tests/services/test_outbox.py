"""The outbox against a real SMTP server on loopback."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enquiries.mail import outbox
from enquiries.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _queue(**extra: object) -> OutboundEmail:
    arguments = {
        "kind": "receipt",
        "to": " Ola.Nordmann@VG.no ",
        "subject": "Vi har mottatt henvendelsen din (P-2026-00042)",
        "body": "Takk. Referansen din er P-2026-00042.",
        "key": "receipt:42",
        **extra,
    }
    return outbox.queue_email(**arguments)


def test_a_queued_mail_is_sent_once_however_often_it_is_delivered(smtp):
    mail = _queue(reply_to="kari@nrk.no")
    assert outbox.deliver(email_id=mail.pk) == "sent"
    assert outbox.deliver(email_id=mail.pk) == "skipped: not queued"
    [received] = smtp.inbox.messages
    assert received["To"] == "ola.nordmann@vg.no"
    assert received["Reply-To"] == "kari@nrk.no"
    assert received["Subject"] == "Vi har mottatt henvendelsen din (P-2026-00042)"
    assert "P-2026-00042" in received.get_content()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("sent", 1)


def test_the_same_key_queues_one_row():
    first = _queue()
    second = _queue(body="noe annet")
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1


def test_a_temporary_refusal_is_retried_later(smtp):
    smtp.inbox.answer = "451 Try again later"
    mail = _queue()
    with pytest.raises(outbox.TransientFailure, match="451"):
        outbox.deliver(email_id=mail.pk)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == ("queued", 1, "SMTP 451")
    smtp.inbox.answer = "250 OK"
    assert outbox.deliver(email_id=mail.pk) == "sent"
    assert len(smtp.inbox.messages) == 1


def test_a_permanent_refusal_fails_visibly_and_can_be_retried(smtp):
    smtp.inbox.answer = "550 No such user"
    mail = _queue()
    assert outbox.deliver(email_id=mail.pk) == "failed"
    mail.refresh_from_db()
    assert mail.status == "failed"
    assert "550" in mail.last_error
    smtp.inbox.answer = "250 OK"
    assert outbox.retry(email_id=mail.pk)
    assert outbox.deliver(email_id=mail.pk) == "sent"
    assert len(smtp.inbox.messages) == 1


def test_no_mail_server_is_a_temporary_failure(settings):
    from tests.mail import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    mail = _queue()
    with pytest.raises(outbox.TransientFailure):
        outbox.deliver(email_id=mail.pk)
    assert OutboundEmail.objects.get().status == "queued"


def test_the_address_can_be_forgotten_once_sent(smtp):
    mail = _queue(wipe_recipient=True)
    outbox.deliver(email_id=mail.pk)
    mail.refresh_from_db()
    assert mail.to_address == ""
    assert smtp.inbox.messages[0]["To"] == "ola.nordmann@vg.no"


def test_the_sweeper_redispatches_lost_rows_and_reports_interrupted_ones():
    lost = _queue(key="lost")
    OutboundEmail.objects.filter(pk=lost.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    stuck = _queue(key="stuck")
    OutboundEmail.objects.filter(pk=stuck.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert outbox.sweep() == {
        "redispatched": 1,
        "interrupted": 1,
        "revived": 0,
        "confirmation_lost": 0,
        "resumed": 0,
    }
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert "interrupted" in stuck.last_error


@pytest.mark.parametrize(
    ("field", "value"),
    [("to", "a@b.no\r\nBcc: x@evil.example"), ("subject", "Hei\r\nBcc: x@evil.example")],
)
def test_header_injection_is_refused_and_nothing_queued(field, value):
    with pytest.raises((ValidationError, ValueError)):
        _queue(**{field: value})
    assert not OutboundEmail.objects.exists()


def test_given_up_mail_resumes_once_the_mail_server_answers_again(settings):
    """The SMTP server was down until the retries gave up; the sweeper probes it, and resumes
    the mail only once it answers (a real aiosmtpd, stopped and started)."""
    from tests.mail import SmtpServer

    server = SmtpServer()
    settings.MAILERS = server.mailers  # nothing listens yet
    mail = _queue()
    OutboundEmail.objects.filter(pk=mail.pk).update(
        status="failed", last_error="gave up: ConnectionRefusedError", attempts=9,
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    assert outbox.sweep()["resumed"] == 0  # the server does not answer: nothing changes
    mail.refresh_from_db()
    assert mail.status == "failed"

    with server:
        assert outbox.sweep()["resumed"] == 1
        mail.refresh_from_db()
        assert mail.status == "queued"
        outbox.deliver(email_id=mail.pk)
    assert len(server.inbox.messages) == 1


def test_a_mail_that_may_have_gone_out_is_never_resumed_by_the_sweeper(smtp):
    mail = _queue()
    OutboundEmail.objects.filter(pk=mail.pk).update(
        status="failed", last_error=outbox.MAY_HAVE_GONE_OUT,
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    assert outbox.sweep()["resumed"] == 0
    assert not smtp.inbox.messages
