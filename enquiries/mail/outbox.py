"""The outbox: everything the product sends out is first a row (DESIGN.md), then a relay.

The outbox knows no kind of mail. It offers two hooks, and the owners subscribe in
`EnquiriesConfig.ready()`:

- a *transport* by name ("smtp" is built in; FOI routing adds its archive webhook), which
  sends one row and says whether sending it twice is harmless;
- a *follower* by kind, called in the same transaction as every change of a row's state, so
  an owner (an FOI routing, later a reply) always shows the real state of its mail.

One set of rules for every row:
- `queue_email` writes the row (once per idempotency key) and asks for a relay on commit; if
  Redis is down then, the row waits for the sweeper.
- Mail to an address nobody confirmed (`public=True`: receipts, acknowledgements, links) is
  capped per recipient and in all (DESIGN rule 9): over a cap, the row is written "held",
  without its address, and never sent; officers see the held rows (queue count, admin).
- `deliver` claims the row with a conditional UPDATE (queued -> sending), so a second delivery
  of the same task finds nothing to do and sends nothing.
- A temporary failure puts the row back in the queue for the task to retry with backoff, for
  `retry_seconds` from when it was queued if the owner asked for that, else MAX_ATTEMPTS
  times; a permanent one marks it failed, for a person's "try again".
- The sweeper relays rows left queued (a message lost in Redis) and resolves rows a dead
  worker left "sending" (for PRESSDESK_OUTBOX_STUCK_SECONDS): the transport decides from its
  evidence (`after_crash`): re-queued where a repeat is harmless or nothing can have been
  accepted, "sent" with "confirmation lost" where the receiver may have it, otherwise failed
  for a person to check (who sees the evidence and must confirm). Never sent twice behind
  anyone's back.
"""

import hmac
import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256
from typing import NoReturn, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, mailers, make_msgid
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from enquiries.core.dispatch import dispatch
from enquiries.core.errors import MailMayHaveGoneOut
from enquiries.core.normalise import has_control_characters, is_routable_email, normalise_email
from enquiries.mail import smtp, threading
from enquiries.models import Enquiry, OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 9  # by default: the first try and eight retries (about two hours)
SMTP = "smtp"


class TransientFailure(Exception):
    """Worth retrying (4xx, timeout, connection refused)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentFailure(Exception):
    """Refused for good: retrying will not help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# What the sweeper does with a row a dead worker left "sending" (Transport.after_crash).
REPEAT = "repeat"  # nothing can have reached the receiver, or a repeat is harmless
DELIVERED = "delivered"  # the receiver may well have it: "sent", confirmation lost
CHECK = "check"  # cannot tell: failed, for a person who sees the evidence and confirms
MAY_HAVE_GONE_OUT = "interrupted while sending: it may have gone out; check before retrying"
CONFIRMATION_LOST = "delivered, confirmation lost"


class Transport(Protocol):
    @property
    def repeat_is_safe(self) -> bool:
        """Whether a second attempt after a crash mid-send is harmless (the receiver
        recognises a repeat); if not, a row left "sending" waits for a person instead."""
        ...

    def send(self, mail: OutboundEmail) -> str:
        """Send one row; return what the receiver answered (kept on the row), or raise
        TransientFailure / PermanentFailure."""
        ...


Follower = Callable[[OutboundEmail], None]

_transports: dict[str, Transport] = {}
_followers: dict[str, list[Follower]] = {}


def register_transport(name: str, transport: Transport) -> None:
    _transports[name] = transport


def follow(kind: str, follower: Follower) -> None:
    """Call `follower(row)` in the same transaction as each change of a `kind` row's state."""
    if follower not in _followers.setdefault(kind, []):
        _followers[kind].append(follower)


def _changed(email_id: int) -> OutboundEmail | None:
    """Tell the row's followers of its new state; returns the row as it now is."""
    mail = OutboundEmail.objects.filter(pk=email_id).first()
    if mail is None:
        return None
    for follower in _followers.get(mail.kind, []):
        follower(mail)
    return mail


def _dispatch(email_id: int) -> None:
    dispatch("enquiries.tasks.relay_email", email_id)


def recipient_key(address: str) -> str:
    """A keyed hash (HMAC) of a normalised address: counts mail to it without keeping it."""
    key = settings.PRESSDESK_HASH_KEY.encode()
    return hmac.new(key, f"recipient:{normalise_email(address)}".encode(), sha256).hexdigest()


def over_public_caps(*, recipient: str) -> bool:
    """Whether one more mail to this unconfirmed address would pass a cap: per recipient in
    a day, or all such mail in an hour. Held rows do not count: they were not sent."""
    now = timezone.now()
    public = OutboundEmail.objects.exclude(recipient_key="").exclude(
        status=OutboundEmail.Status.HELD
    )
    per_recipient = public.filter(
        recipient_key=recipient, created_at__gte=now - timedelta(days=1)
    ).count()
    if per_recipient >= settings.PRESSDESK_PUBLIC_MAIL_PER_RECIPIENT_PER_DAY:
        return True
    in_all = public.filter(created_at__gte=now - timedelta(hours=1)).count()
    return in_all >= settings.PRESSDESK_PUBLIC_MAIL_PER_HOUR


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
    transport: str = SMTP,
    retry_for: timedelta | None = None,
    public: bool = False,
    cc: Sequence[str] = (),
    thread: Enquiry | None = None,
    answers: Sequence[str] = (),
    automatic: bool = True,
) -> OutboundEmail:
    """Queue one row in the caller's transaction; the same key never queues a second.
    `public`: the address is one nobody confirmed, so the caps apply (see the module's text).
    A mail by SMTP in an enquiry's thread (`thread`, else `enquiry`: a row can be in a thread
    without belonging to the enquiry) gets the reference in its subject and the threading
    headers; `answers`: the thread's Message-IDs up to the mail it answers (one that cannot
    be a header is left out: mail/threading.py). Every SMTP row
    has its Message-ID from the start, for the thread and for the inbound side to match.
    `automatic=False`: a person wrote it (no Auto-Submitted header).
    """
    if any(has_control_characters(value) for value in (subject, *cc)):
        msg = "A subject or an address cannot contain control characters."
        raise ValueError(msg)
    in_thread = thread or enquiry
    headers: dict[str, str] = {}
    if transport == SMTP and in_thread is not None:
        subject = threading.with_reference(subject, in_thread.reference)
        headers = threading.thread_headers(
            reference=in_thread.reference,
            started_at=in_thread.received_at,
            now=timezone.now(),
            answers=answers,
        )
    if transport not in _transports:
        msg = f"No outbox transport called {transport!r}."
        raise ValueError(msg)
    recipient = recipient_key(to) if public and to else ""
    held = bool(recipient) and (
        not is_routable_email(normalise_email(to)) or over_public_caps(recipient=recipient)
    )
    mail, created = OutboundEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "transport": transport,
            "status": OutboundEmail.Status.HELD if held else OutboundEmail.Status.QUEUED,
            "recipient_key": recipient,
            # A held row is never sent: it keeps no address.
            "to_address": normalise_email(to) if to and not held else "",
            "reply_to": normalise_email(reply_to) if reply_to else "",
            "subject": subject,
            "body": body,
            "cc": ", ".join(normalise_email(address) for address in cc) if not held else "",
            "headers": headers,
            "automatic": automatic,
            "message_id": new_message_id() if transport == SMTP else "",
            "enquiry": enquiry,
            "wipe_recipient": wipe_recipient,
            "retry_seconds": int(retry_for.total_seconds()) if retry_for else None,
        },
    )
    if created and held:
        logger.warning("outbox %s held back: over the cap on public mail (%s)", mail.pk, kind)
    elif created:
        transaction.on_commit(lambda: _dispatch(mail.pk))
    return mail


@transaction.atomic
def _claim(email_id: int) -> OutboundEmail | None:
    """The row, now "sending", if this run took it; None if another run has it or it is done."""
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=timezone.now(),
    )
    return _changed(email_id) if claimed else None


def deliver(*, email_id: int) -> str:
    """Send the row if it is still queued. Raises TransientFailure for the task to retry."""
    mail = _claim(email_id)
    if mail is None:
        return "skipped: not queued"
    try:
        receipt = _transports[mail.transport].send(mail)
    except TransientFailure as exc:
        _requeue(mail.pk, exc.reason)
    except PermanentFailure as exc:
        return mark_failed(email_id=mail.pk, reason=exc.reason)
    sent = {
        "status": OutboundEmail.Status.SENT,
        "sent_at": timezone.now(),
        "last_error": "",
        "receipt": receipt[:300],
    }
    if mail.wipe_recipient:
        sent["to_address"] = sent["cc"] = ""
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=mail.pk).update(**sent)
        _changed(mail.pk)
    logger.info("outbox %s sent (%s)", mail.pk, mail.kind)
    return "sent"


def _requeue(email_id: int, reason: str) -> NoReturn:
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email_id).update(
            status=OutboundEmail.Status.QUEUED,
            last_error=reason[:300],
            claimed_at=None,
            next_attempt_at=timezone.now(),
        )
        _changed(email_id)
    logger.warning("outbox %s: temporary failure (%s), will retry", email_id, reason)
    raise TransientFailure(reason)


@transaction.atomic
def mark_failed(*, email_id: int, reason: str) -> str:
    OutboundEmail.objects.filter(pk=email_id).exclude(status=OutboundEmail.Status.SENT).update(
        status=OutboundEmail.Status.FAILED, last_error=reason[:300], claimed_at=None
    )
    _changed(email_id)
    logger.warning("outbox %s failed: %s", email_id, reason)
    return "failed"


def gives_up(*, email_id: int, retries: int) -> bool:
    """Whether a temporary failure ends the row's retries: after `retry_seconds` from when it
    was queued where its owner asked for that, otherwise after MAX_ATTEMPTS tries."""
    row = OutboundEmail.objects.filter(pk=email_id).values("retry_seconds", "created_at").first()
    if row is None:
        return True
    if row["retry_seconds"]:
        window = timedelta(seconds=row["retry_seconds"])
        return timezone.now() - row["created_at"] >= window
    return retries + 1 >= MAX_ATTEMPTS


def postpone(*, email_id: int, seconds: int) -> None:
    """The retry's backoff, written down so the sweeper waits for it (and then some)."""
    OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
        next_attempt_at=timezone.now() + timedelta(seconds=seconds)
    )


@transaction.atomic
def retry(*, email_id: int, confirmed: bool = False) -> bool:
    """A person's "try again" on a failed row; returns whether it was queued again. Its retry
    window starts again now. A row that may have gone out is sent again only `confirmed`
    (the person has seen the evidence and checked); else MailMayHaveGoneOut."""
    now = timezone.now()
    mail = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
    if mail is not None and may_have_gone_out(mail) and not confirmed:
        raise MailMayHaveGoneOut(message_id=mail.message_id or "-")
    queued = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.QUEUED, last_error="", created_at=now, next_attempt_at=now
    )
    if queued:
        _changed(email_id)
        transaction.on_commit(lambda: _dispatch(email_id))
    return bool(queued)


def sweep() -> dict[str, int]:
    """Re-dispatch rows whose relay was lost; resolve rows whose worker died mid-send."""
    now = timezone.now()
    lost_after = timedelta(seconds=settings.PRESSDESK_OUTBOX_LOST_AFTER_SECONDS)
    stuck_after = timedelta(seconds=settings.PRESSDESK_OUTBOX_STUCK_SECONDS)
    stuck = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - stuck_after
    )
    revived = interrupted = confirmed = 0
    for mail in list(stuck):
        decision = after_crash(mail)
        if decision == REPEAT:
            with transaction.atomic():
                revived += OutboundEmail.objects.filter(
                    pk=mail.pk, status=OutboundEmail.Status.SENDING
                ).update(status=OutboundEmail.Status.QUEUED, claimed_at=None, next_attempt_at=now)
                _changed(mail.pk)
            _dispatch(mail.pk)
        elif decision == DELIVERED:
            confirmed += 1
            with transaction.atomic():
                OutboundEmail.objects.filter(
                    pk=mail.pk, status=OutboundEmail.Status.SENDING
                ).update(
                    status=OutboundEmail.Status.SENT,
                    sent_at=mail.claimed_at,
                    receipt=f"{CONFIRMATION_LOST}: the end of DATA was sent, "
                    f"Message-ID {mail.message_id}"[:300],
                    **({"to_address": "", "cc": ""} if mail.wipe_recipient else {}),
                )
                _changed(mail.pk)
            logger.warning("outbox %s: %s", mail.pk, CONFIRMATION_LOST)
        else:
            interrupted += 1
            mark_failed(email_id=mail.pk, reason=MAY_HAVE_GONE_OUT)
    lost = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, next_attempt_at__lt=now - lost_after
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    for email_id in lost:
        _dispatch(email_id)
    resumed = _resume_given_up(now)
    _alert_on_failed_mail(now)
    return {
        "redispatched": len(lost),
        "interrupted": interrupted,
        "revived": revived,
        "confirmation_lost": confirmed,
        "resumed": resumed,
    }


GAVE_UP = "gave up: "
RESUME_BATCH = 100  # given-up rows retried per sweep once the mail server answers
RESUME_MAX_ATTEMPTS = 3 * MAX_ATTEMPTS  # after this many tries in all, only a person retries


def _resume_given_up(now: datetime) -> int:
    """SMTP rows given up after temporary failures (the server was down) are retried once the
    mail server answers again: the sweeper probes it (connect and greet) first. Within limits:
    a batch a sweep, after the lost-relay delay, and at most RESUME_MAX_ATTEMPTS tries a row;
    never a row that may have gone out (that one waits for a person)."""
    since = now - timedelta(seconds=settings.PRESSDESK_OUTBOX_LOST_AFTER_SECONDS)
    given_up = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.FAILED,
            transport=SMTP,
            last_error__startswith=GAVE_UP,
            attempts__lt=RESUME_MAX_ATTEMPTS,
            next_attempt_at__lt=since,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:RESUME_BATCH]
    )
    if not given_up or not _mail_server_answers():
        return 0
    resumed = sum(retry(email_id=email_id) for email_id in given_up)
    logger.info("outbox: the mail server answers again; %s given-up mail(s) resumed", resumed)
    return resumed


def _mail_server_answers() -> bool:
    mailer = mailers["default"]
    try:
        mailer.open()
    except (smtplib.SMTPException, OSError):
        return False
    mailer.close()
    return True


def _alert_on_failed_mail(now: datetime) -> None:
    """The line to alert on: mail failed longer than PRESSDESK_OUTBOX_ALERT_SECONDS that no
    officer has retried (counts only, nothing personal). Officers see it on the desk."""
    since = now - timedelta(seconds=settings.PRESSDESK_OUTBOX_ALERT_SECONDS)
    failed = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.FAILED, next_attempt_at__lt=since
    ).count()
    if failed:
        logger.error(
            "outbox: %s mail(s) failed for longer than %s s; retry them from the enquiry page",
            failed,
            settings.PRESSDESK_OUTBOX_ALERT_SECONDS,
        )


def after_crash(mail: OutboundEmail) -> str:
    """REPEAT, DELIVERED or CHECK for a row a dead worker left "sending": the transport's
    own rule where it has one, else whether it says a repeat is harmless."""
    transport = _transports[mail.transport]
    rule = getattr(transport, "after_crash", None)
    if rule is not None:
        return str(rule(mail))
    return REPEAT if transport.repeat_is_safe else CHECK


def may_have_gone_out(mail: OutboundEmail) -> bool:
    """A failed row whose earlier try may have reached the receiver: a person's retry shows
    the evidence and needs a confirmation."""
    return mail.status == OutboundEmail.Status.FAILED and mail.last_error == MAY_HAVE_GONE_OUT


# --- The SMTP transport ---------------------------------------------------------------------


def _stage(email_id: int, stage: str) -> None:
    """Written (autocommit) before the step it names, so a crash after it leaves it behind."""
    OutboundEmail.objects.filter(pk=email_id).update(smtp_stage=stage)


def new_message_id() -> str:
    """A Message-ID of ours, on the sender's domain."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None
    return make_msgid(domain=domain)


def _message_id(mail: OutboundEmail) -> str:
    """Our Message-ID for the row: made when it was queued (rows from before that: before
    the first try), and kept for every retry."""
    if not mail.message_id:
        mail.message_id = new_message_id()
        OutboundEmail.objects.filter(pk=mail.pk).update(message_id=mail.message_id)
    return mail.message_id


def _headers(mail: OutboundEmail) -> dict[str, str]:
    headers = {"Message-ID": _message_id(mail)}
    headers.update({str(name): str(value) for name, value in (mail.headers or {}).items()})
    if mail.automatic:
        headers["Auto-Submitted"] = "auto-generated"  # RFC 3834: auto-replies stay silent
    return headers


@dataclass(frozen=True)
class SmtpTransport:
    """Django's mailer, with evidence where the mailer keeps it (enquiries.mail.smtp): after a
    crash, a row is sent again only if the end of DATA cannot have been sent; if it was, the
    row is "sent", confirmation lost; with a mailer that keeps no evidence, a person checks."""

    repeat_is_safe: bool = False

    def after_crash(self, mail: OutboundEmail) -> str:
        # "": claimed, but no try of this code got as far as the mailer (or a row from before
        # the evidence was kept): a person checks.
        if mail.smtp_stage == "connecting":
            return REPEAT
        if mail.smtp_stage == "data end":
            return DELIVERED
        return CHECK

    def send(self, mail: OutboundEmail) -> str:
        message = EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.to_address],
            cc=[address.strip() for address in mail.cc.split(",") if address.strip()],
            reply_to=[mail.reply_to] if mail.reply_to else None,
            headers=_headers(mail),
        )
        mailer = mailers["default"]
        if not getattr(mailer, "records_evidence", False):
            _stage(mail.pk, "unrecorded")
            return self._send(mailer, message)
        _stage(mail.pk, "connecting")
        evidence = smtp.Evidence(before_data_end=lambda: _stage(mail.pk, "data end"))
        token = smtp.current.set(evidence)
        try:
            self._send(mailer, message)
        except TransientFailure as exc:
            if evidence.data_end_sent and not evidence.reply:
                # The end of DATA went out and no answer came back (a timeout, a reset): the
                # server may have queued it. Retrying could duplicate it; do not.
                return f"{CONFIRMATION_LOST}: {exc.reason}, Message-ID {mail.message_id}"
            raise
        finally:
            smtp.current.reset(token)
        return evidence.reply

    def _send(self, mailer: BaseEmailBackend, message: EmailMessage) -> str:
        try:
            mailer.send_messages([message])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            code = getattr(exc, "smtp_code", None) or _first_code(exc)
            if code and 400 <= code < 500:
                msg = f"SMTP {code}"
                raise TransientFailure(msg) from exc
            msg = f"refused by the mail server (SMTP {code})"
            raise PermanentFailure(msg) from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                msg = f"SMTP {exc.smtp_code}"
                raise TransientFailure(msg) from exc
            msg = f"refused by the mail server (SMTP {exc.smtp_code})"
            raise PermanentFailure(msg) from exc
        except smtp.OAuthTokenUnavailable as exc:
            msg = f"no OAuth token: {exc.reason}"
            raise TransientFailure(msg) from exc
        except (smtplib.SMTPException, OSError) as exc:  # timeouts, refused connections, resets
            msg = type(exc).__name__
            raise TransientFailure(msg) from exc
        return ""


def _first_code(exc: smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused) -> int | None:
    recipients = getattr(exc, "recipients", None) or {}
    for code, _message in recipients.values():
        return int(code)
    return None


register_transport(SMTP, SmtpTransport())
