"""Mail we send, in the enquiry's thread: an outbound message linked to its outbox row, so the
thread shows what was sent and how its delivery goes (queued, sent, failed and why)."""

from django.conf import settings
from django.contrib.auth.models import User

from enquiries.core import search_index
from enquiries.models import Enquiry, Message, OutboundEmail


def add_to_thread(
    *,
    enquiry: Enquiry,
    mail: OutboundEmail,
    by: User | None,
    subject: str | None = None,
    body: str | None = None,
) -> Message:
    """The mail as an outbound message of `enquiry`'s thread, once per outbox row; in the
    caller's transaction. `subject`/`body` stand in for a row that holds none (a webhook's)."""
    existing = Message.objects.filter(outbound=mail).first()
    if existing is not None:
        return existing
    recipients = [address for address in (mail.to_address, mail.cc) if address]
    message = Message.objects.create(
        enquiry=enquiry,
        direction=Message.Direction.OUTBOUND,
        sent_at=mail.created_at,
        from_address=settings.DEFAULT_FROM_EMAIL,
        to_address=", ".join(recipients)[:1000],
        subject=(mail.subject if subject is None else subject)[:998],
        body=mail.body if body is None else body,
        message_id=mail.message_id,
        outbound=mail,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    search_index.refresh(enquiry_ids=[enquiry.pk])
    return message
