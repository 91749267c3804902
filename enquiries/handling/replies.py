"""Replies from the desk (issue #18 item 6): an officer answers the journalist by e-mail.

- The reply goes to the journalist's address on the card, with copies (Cc) where the officer
  asks, signed with the desk's signature, through the outbox (sent by a worker, retried, its
  delivery state shown in the thread). It is an outbound message of the thread at once.
- It carries our Message-ID, the reference in the subject, and In-Reply-To/References (and
  Outlook's Thread-Index) for the inbound mail it answers (enquiries.mail.threading).
- "Send and mark answered" is one transaction: both happen, or neither.
- An opted-out enquiry can be answered: its personal data stays while the reply is on its way
  (privacy.erasure.strip_if_opted_out waits for mail still queued), and goes once it is sent.
- A double click or a replayed POST (the same form key) sends one reply.
"""

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enquiries.core import audit
from enquiries.core.desk_settings import desk_settings
from enquiries.core.errors import EnquiryNotFound, PressdeskError
from enquiries.handling import canned
from enquiries.handling.enquiries import change_status
from enquiries.mail import outbox, thread_entries
from enquiries.models import AuditAction, Enquiry, Message, OutboundEmail
from enquiries.privacy.erasure import strip_if_opted_out

REPLY_KIND = "reply"
SIGNATURE_SEPARATOR = "\n\n-- \n"  # the usenet separator: mail programs fold what follows


class NoAddressToReplyTo(PressdeskError):
    message = _(
        "The journalist has no e-mail address on the card: add one there, or answer by phone."
    )


class NotInThisThread(PressdeskError):
    message = _("The mail you answer is not in this enquiry's thread.")


def signed(body: str, *, officer: User) -> str:
    """The reply's text with the desk's signature below it (when one is set in admin)."""
    signature = canned.fill(desk_settings().signature, enquiry=None, officer=officer).strip()
    text = body.replace("\r\n", "\n").strip()  # a browser's textarea sends CRLF
    return f"{text}{SIGNATURE_SEPARATOR}{signature}\n" if signature else f"{text}\n"


def _answered_chain(enquiry: Enquiry, answers_id: int | None) -> list[str]:
    """The thread's Message-IDs up to and including the mail answered; none for a reply that
    answers no particular mail."""
    if answers_id is None:
        return []
    answered = Message.objects.filter(pk=answers_id, enquiry=enquiry).first()
    if answered is None:
        raise NotInThisThread
    if not answered.message_id:
        return []
    earlier = (
        Message.objects.filter(enquiry=enquiry, sent_at__lte=answered.sent_at)
        .exclude(message_id="")
        .exclude(pk=answered.pk)
        .order_by("sent_at", "id")
        .values_list("message_id", flat=True)
    )
    return [*earlier, answered.message_id]


@transaction.atomic
def send_reply(
    *,
    enquiry_id: int,
    by: User,
    key: str,
    subject: str,
    body: str,
    cc: Sequence[str] = (),
    answers_id: int | None = None,
    mark_answered: bool = False,
) -> Message:
    """Queue the reply and put it in the thread; `key` (the form's) makes a replay harmless.
    With `mark_answered`, the enquiry is marked answered in the same transaction."""
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("journalist")
        .filter(pk=enquiry_id)
        .first()
    )
    if enquiry is None:
        raise EnquiryNotFound
    idempotency_key = f"reply:{enquiry.pk}:{key}"
    sent = OutboundEmail.objects.filter(idempotency_key=idempotency_key).first()
    if sent is not None:  # a double click: the reply is on its way already
        return thread_entries.add_to_thread(enquiry=enquiry, mail=sent, by=by)
    journalist = enquiry.journalist
    if journalist is None or not journalist.email:
        raise NoAddressToReplyTo
    mail = outbox.queue_email(
        kind=REPLY_KIND,
        to=journalist.email,
        cc=cc,
        reply_to=desk_settings().press_email,
        subject=subject,
        body=signed(body, officer=by),
        key=idempotency_key,
        enquiry=enquiry,
        answers=_answered_chain(enquiry, answers_id),
        automatic=False,
    )
    message = thread_entries.add_to_thread(enquiry=enquiry, mail=mail, by=by)
    audit.record(
        actor=by,
        action=AuditAction.REPLY_QUEUED,
        enquiry_id=enquiry.pk,
        detail={"message_id": message.pk, "mail_id": mail.pk, "copies": len(cc)},
    )
    if mark_answered:
        change_status(enquiry_id=enquiry.pk, status=Enquiry.Status.ANSWERED, by=by)
    return message


def follow_reply(mail: OutboundEmail) -> None:
    """Once a reply has gone, an opted-out enquiry that is answered or closed keeps nothing
    personal (its strip waited for the reply)."""
    if mail.status != OutboundEmail.Status.SENT or mail.enquiry_id is None:
        return
    enquiry = Enquiry.objects.select_for_update().filter(pk=mail.enquiry_id).first()
    if enquiry is not None:
        strip_if_opted_out(enquiry=enquiry, by=None)


def subscribe() -> None:
    outbox.follow(REPLY_KIND, follow_reply)
