"""Every e-mail the product sends (DESIGN.md): a row in the caller's transaction, then a relay.

- `queue_email` writes the row (once per idempotency key) and asks for a relay after commit;
  if Redis is down at that moment the row simply waits for the sweeper.
- `deliver` claims the row with a conditional UPDATE (queued -> sending), so a second
  delivery of the same task finds nothing to do and sends nothing.
- A temporary SMTP failure puts the row back in the queue for the task to retry with backoff;
  a permanent one, or too many attempts, marks it failed, visible in admin with a retry action.
- The sweeper re-queues rows left queued (a message lost in Redis). A row left "sending" means
  a worker died mid-send: it may or may not have gone out, so it is marked failed for a person
  to decide, never sent twice behind anyone's back.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from enquiries.models import Enquiry, OutboundEmail
from enquiries.normalise import has_control_characters, normalise_email

logger = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=15)  # "sending" this long: the worker died mid-send
MAX_ATTEMPTS = 9  # an ordinary mail: the first try and eight retries (about two hours)
# Mail that must not be given up on lightly: retried for PRESSDESK_FOI_RETRY_SECONDS instead.
LONG_RETRY_KINDS = frozenset({"foi_routing"})


class TransientFailure(Exception):
    """Worth retrying (4xx, timeout, connection refused)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _dispatch(email_id: int) -> None:
    from enquiries.tasks import dispatch, relay_email

    dispatch(relay_email, email_id)


def queue_email(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    key: str,
    enquiry: Enquiry | None = None,
    reply_to: str = "",
    wipe_recipient: bool = False,
) -> OutboundEmail:
    """Queue one e-mail in the caller's transaction; the same key never queues a second."""
    if has_control_characters(subject):
        msg = "A subject cannot contain line breaks or control characters."
        raise ValueError(msg)
    mail, created = OutboundEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "to_address": normalise_email(to),
            "reply_to": normalise_email(reply_to) if reply_to else "",
            "subject": subject,
            "body": body,
            "enquiry": enquiry,
            "wipe_recipient": wipe_recipient,
        },
    )
    if created:
        transaction.on_commit(lambda: _dispatch(mail.pk))
    return mail


def _claim(email_id: int) -> bool:
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=timezone.now(),
    )
    return claimed == 1


def deliver(*, email_id: int) -> str:
    """Send the row if it is still queued. Raises TransientFailure for the task to retry."""
    if not _claim(email_id):
        return "skipped: not queued"
    mail = OutboundEmail.objects.get(pk=email_id)
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_address],
        reply_to=[mail.reply_to] if mail.reply_to else None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send(using="default")
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        code = getattr(exc, "smtp_code", None) or _first_code(exc)
        if code and 400 <= code < 500:
            return _requeue(mail, f"SMTP {code}")
        return mark_failed(email_id=mail.pk, reason=f"refused by the mail server (SMTP {code})")
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            return _requeue(mail, f"SMTP {exc.smtp_code}")
        return mark_failed(
            email_id=mail.pk, reason=f"refused by the mail server (SMTP {exc.smtp_code})"
        )
    except (smtplib.SMTPException, OSError) as exc:  # timeouts, refused connections, resets
        return _requeue(mail, type(exc).__name__)
    sent = {"status": OutboundEmail.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    if mail.wipe_recipient:
        sent["to_address"] = ""
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=mail.pk).update(**sent)
        _followed_by_routing(mail.pk)
    logger.info("outbox %s sent (%s)", mail.pk, mail.kind)
    return "sent"


def _followed_by_routing(email_id: int) -> None:
    """An FOI routing by e-mail follows its mail's state (in the same transaction)."""
    from enquiries.services import foi_routing

    foi_routing.follow_email(email_id=email_id)


def _first_code(exc: smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused) -> int | None:
    recipients = getattr(exc, "recipients", None) or {}
    for code, _message in recipients.values():
        return int(code)
    return None


def _requeue(mail: OutboundEmail, reason: str) -> str:
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=mail.pk).update(
            status=OutboundEmail.Status.QUEUED,
            last_error=reason[:300],
            claimed_at=None,
            next_attempt_at=timezone.now(),
        )
        _followed_by_routing(mail.pk)
    logger.warning("outbox %s: temporary failure (%s), will retry", mail.pk, reason)
    raise TransientFailure(reason)


@transaction.atomic
def mark_failed(*, email_id: int, reason: str) -> str:
    OutboundEmail.objects.filter(pk=email_id).exclude(status=OutboundEmail.Status.SENT).update(
        status=OutboundEmail.Status.FAILED, last_error=reason[:300], claimed_at=None
    )
    _followed_by_routing(email_id)
    logger.warning("outbox %s failed: %s", email_id, reason)
    return "failed"


def gives_up(*, email_id: int, retries: int) -> bool:
    """Whether a temporary failure ends the row's retries: FOI mail keeps trying for about a
    day (PRESSDESK_FOI_RETRY_SECONDS from when it was queued), other mail MAX_ATTEMPTS times."""
    row = OutboundEmail.objects.filter(pk=email_id).values("kind", "created_at").first()
    if row is None:
        return True
    if row["kind"] in LONG_RETRY_KINDS:
        window = timedelta(seconds=settings.PRESSDESK_FOI_RETRY_SECONDS)
        return timezone.now() - row["created_at"] >= window
    return retries + 1 >= MAX_ATTEMPTS


def postpone(*, email_id: int, seconds: int) -> None:
    """The retry's backoff, written down so the sweeper waits for it (and then some)."""
    OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
        next_attempt_at=timezone.now() + timedelta(seconds=seconds)
    )


@transaction.atomic
def retry(*, email_id: int) -> bool:
    """A person's "try again" on a failed row; returns whether it was queued again. Its retry
    window starts again now."""
    now = timezone.now()
    queued = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.QUEUED, last_error="", created_at=now, next_attempt_at=now
    )
    if queued:
        _followed_by_routing(email_id)
        transaction.on_commit(lambda: _dispatch(email_id))
    return bool(queued)


def sweep() -> dict[str, int]:
    """Re-dispatch rows whose relay was lost; fail rows whose worker died mid-send."""
    now = timezone.now()
    lost = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED,
            next_attempt_at__lt=now
            - timedelta(seconds=settings.PRESSDESK_OUTBOX_LOST_AFTER_SECONDS),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    for email_id in lost:
        _dispatch(email_id)
    stuck = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STUCK_AFTER
        ).values_list("pk", flat=True)
    )
    for email_id in stuck:
        mark_failed(
            email_id=email_id,
            reason="interrupted while sending: it may have gone out; check before retrying",
        )
    return {"redispatched": len(lost), "interrupted": len(stuck)}
