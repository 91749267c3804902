"""One inbound e-mail into the log (DESIGN rule 10: a thread belongs to its people).

- Never twice: every mail taken leaves an `InboundReceipt` keyed by its Message-ID (or, for a
  mail without one, by its content less the trace headers a server adds), written first in
  the same transaction as what the mail became.
- Threading: a mail joins an enquiry through In-Reply-To/References naming one of our own
  Message-IDs (the outbox's, or an outgoing message in the thread) or an earlier mail of the
  enquiry's journalist; or through the reference in its subject (`P-2026-00042`) only when
  its sender is the enquiry's journalist (normalised address). A mail that names a reference
  and comes from anyone else waits in the holding pen, flagged: never silently in the thread.
- Bounces, automatic replies and bulk mail never become enquiries and are never answered: an
  automatic reply to one of our mails is noted in that thread; a permanent bounce marks the
  journalist's address on the card; everything else of theirs waits in the holding pen.
- A mail over PRESSDESK_INBOX_MAX_MAIL_BYTES is held with its headers; attachments beyond
  PRESSDESK_INBOX_ATTACHMENTS_MAX_BYTES in one mail are recorded by name and size only.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from enquiries.core import search_index
from enquiries.handling import contacts
from enquiries.handling import enquiries as handling
from enquiries.intake import log as intake
from enquiries.intake import mail_parsing as parsing
from enquiries.models import (
    Attachment,
    Enquiry,
    HeldMail,
    HoldReason,
    InboundReceipt,
    Journalist,
    Message,
    OutboundEmail,
)

REFERENCE = re.compile(r"\bP-(\d{4})-(\d{5,})\b")
NO_SUBJECT = "(uten emne)"

NEW = "new"
JOINED = "joined"
NOTED = "noted"
HELD = "held"
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Ingested:
    outcome: str  # NEW, JOINED, NOTED (an automatic reply in a thread), HELD or DUPLICATE
    enquiry: Enquiry | None = None
    message: Message | None = None
    held: HeldMail | None = None

    @property
    def created(self) -> bool:
        return self.outcome == NEW


# Headers a receiving server adds on the way: the same mail piped and fetched differs there.
_TRACE = re.compile(rb"^(received|return-path|delivered-to|x-original-to)\s*:", re.I)


def receipt_key(raw: bytes, message_id: str) -> str:
    """A keyed hash of the Message-ID, or of the content less the trace headers."""
    key = settings.PRESSDESK_HASH_KEY.encode()
    if message_id:
        return hmac.new(key, b"mid:" + message_id.strip().lower().encode(), "sha256").hexdigest()
    text = raw.replace(b"\r\n", b"\n")
    head, _, body = text.partition(b"\n\n")
    kept, skipping = [], False
    for line in head.split(b"\n"):
        if line[:1] in {b" ", b"\t"}:
            if not skipping:
                kept.append(line)
            continue
        skipping = bool(_TRACE.match(line))
        if not skipping:
            kept.append(line)
    digest = hashlib.sha256(b"\n".join(kept) + b"\n\n" + body.rstrip()).digest()
    return hmac.new(key, b"content:" + digest, "sha256").hexdigest()


def _header_bytes(raw: bytes) -> bytes:
    end = min((i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0), default=-1)
    return raw[: end + 2] if end >= 0 else raw[:65536]


@dataclass(frozen=True)
class _Placement:
    enquiry: Enquiry | None = None
    hold: str = ""
    flagged: bool = False
    named_reference: str = ""


def _ours(refers_to: list[str], sender: str) -> Enquiry | None:
    """The enquiry of one of our mails this answers, or of the journalist's own earlier mail."""
    if not refers_to:
        return None
    enquiry_id = (
        OutboundEmail.objects.filter(message_id__in=refers_to, enquiry__isnull=False)
        .values_list("enquiry_id", flat=True)
        .first()
    )
    if enquiry_id is None:
        own = Q(direction=Message.Direction.OUTBOUND)
        if sender:
            own |= Q(direction=Message.Direction.INBOUND, enquiry__journalist__email=sender)
        enquiry_id = (
            Message.objects.filter(own, message_id__in=refers_to)
            .values_list("enquiry_id", flat=True)
            .first()
        )
    return Enquiry.objects.filter(pk=enquiry_id).first() if enquiry_id else None


def _place(mail: parsing.ParsedMail) -> _Placement:
    enquiry = _ours(mail.refers_to, mail.from_address)
    if enquiry is not None:
        return _Placement(enquiry=enquiry)
    found = REFERENCE.search(mail.subject)
    if not found:
        return _Placement()
    reference = found.group(0)
    named = Enquiry.objects.select_related("journalist").filter(reference=reference).first()
    if named is None:
        return _Placement(hold=HoldReason.UNKNOWN_REFERENCE, named_reference=reference)
    journalist = named.journalist
    if mail.from_address and journalist is not None and journalist.email == mail.from_address:
        return _Placement(enquiry=named)
    return _Placement(
        hold=HoldReason.NAMES_OTHERS_REFERENCE, flagged=True, named_reference=reference
    )


def split_name(name: str, address: str) -> tuple[str, str]:
    """First and last name from a display name; one word is a first name; none, the mailbox."""
    words = name.replace('"', "").split()
    if not words:
        return address.partition("@")[0][:100] or address[:100], ""
    if len(words) == 1:
        return words[0][:100], ""
    return " ".join(words[:-1])[:100], words[-1][:100]


def _journalist_for(mail: parsing.ParsedMail) -> Journalist:
    found = contacts.find_journalist(email=mail.from_address)
    if found:
        if found.email_bounced_at is not None:  # mail from the address: it works again
            Journalist.objects.filter(pk=found.pk).update(email_bounced_at=None)
        return found
    first, last = split_name(mail.from_name, mail.from_address)
    return contacts.create_journalist(
        by=None, first_name=first, last_name=last, email=mail.from_address
    )


def _store_attachments(mail: parsing.ParsedMail, **owner: Message | HeldMail) -> None:
    budget = settings.PRESSDESK_INBOX_ATTACHMENTS_MAX_BYTES
    rows = []
    for attached in mail.attachments:
        size = len(attached.content)
        keep = size <= budget
        budget -= size if keep else 0
        rows.append(
            Attachment(
                filename=attached.filename or "attachment",
                content_type=attached.content_type,
                size=size,
                content=attached.content if keep else None,
                **owner,
            )
        )
    Attachment.objects.bulk_create(rows)


def _hold(
    mail: parsing.ParsedMail, *, reason: str, size: int, flagged: bool = False, named: str = ""
) -> Ingested:
    held = HeldMail.objects.create(
        reason=reason,
        flagged=flagged,
        sent_at=mail.sent_at,
        from_name=mail.from_name,
        from_address=mail.from_address,
        to_address=mail.to_address,
        subject=mail.subject,
        body=mail.text,
        message_id=mail.message_id,
        named_reference=named,
        size=size,
    )
    _store_attachments(mail, held_mail=held)
    return Ingested(outcome=HELD, held=held)


def _add(mail: parsing.ParsedMail, enquiry: Enquiry, *, automatic: bool = False) -> Message:
    message_id = mail.message_id
    if message_id and Message.objects.filter(message_id=message_id).exists():
        message_id = ""  # someone else's mail already carries it (or a loop): keep both
    message = handling.add_message(
        enquiry_id=enquiry.pk,
        by=None,
        direction=Message.Direction.INBOUND,
        body=mail.text,
        sent_at=mail.sent_at,
        from_address=mail.from_address,
        to_address=mail.to_address,
        subject=mail.subject,
        message_id=message_id,
        automatic=automatic,
    )
    _store_attachments(mail, message=message)
    return message


def _named_by_bounce(mail: parsing.ParsedMail) -> str:
    if not mail.bounced_message_ids:
        return ""
    enquiry_id = (
        OutboundEmail.objects.filter(message_id__in=mail.bounced_message_ids)
        .values_list("enquiry_id", flat=True)
        .first()
    )
    if enquiry_id is None:
        return ""
    reference = Enquiry.objects.filter(pk=enquiry_id).values_list("reference", flat=True).first()
    return reference or ""


def _taken(key: str) -> bool:
    """Write the receipt (first, so a second process with the same mail waits, then finds
    it); False if the mail was taken before. One statement, no savepoint."""
    table = InboundReceipt._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, received_at) VALUES (%s, %s) "  # noqa: S608  # nosec B608: our table name; values bound
            "ON CONFLICT (key) DO NOTHING RETURNING id",
            [key, timezone.now()],
        )
        return cursor.fetchone() is not None


@transaction.atomic
def ingest(raw: bytes, *, size: int | None = None, durable: bool = True) -> Ingested:
    """Take one raw mail (RFC 5322 bytes). Never raises for the mail's content. `size`: the
    whole mail's, when only its beginning (at least the headers) was read because it is over
    PRESSDESK_INBOX_MAX_MAIL_BYTES. `durable=False` (PostgreSQL): the commit does not wait
    for the disk; the caller makes it durable with a later synchronous commit (which flushes
    every earlier one) before it lets go of the mail (mailbox: before the move)."""
    if not durable and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    with search_index.batched():  # a new enquiry and its first message: indexed once
        return _ingest(raw, size=size)


def _ingest(raw: bytes, *, size: int | None) -> Ingested:
    size = max(size or 0, len(raw))
    too_large = size > settings.PRESSDESK_INBOX_MAX_MAIL_BYTES
    mail = parsing.parse(_header_bytes(raw) if too_large else raw)
    if not _taken(receipt_key(raw, mail.message_id)):
        return Ingested(outcome=DUPLICATE)
    if too_large:
        return _hold(mail, reason=HoldReason.TOO_LARGE, size=size)
    if mail.kind == parsing.BOUNCE:
        Journalist.objects.filter(email__in=mail.bounced_addresses).update(
            email_bounced_at=timezone.now()
        )
        return _hold(mail, reason=HoldReason.BOUNCE, size=size, named=_named_by_bounce(mail))
    if mail.kind == parsing.BULK:
        return _hold(mail, reason=HoldReason.BULK, size=size)
    placement = _place(mail)
    if mail.kind == parsing.AUTO_REPLY:
        if placement.enquiry is None:
            named = placement.named_reference
            return _hold(mail, reason=HoldReason.AUTO_REPLY, size=size, named=named)
        message = _add(mail, placement.enquiry, automatic=True)
        return Ingested(outcome=NOTED, enquiry=placement.enquiry, message=message)
    if not mail.from_address:
        return _hold(mail, reason=HoldReason.NO_SENDER, size=size)
    if placement.hold:
        return _hold(
            mail,
            reason=placement.hold,
            size=size,
            flagged=placement.flagged,
            named=placement.named_reference,
        )
    if placement.enquiry is not None:
        Journalist.objects.filter(email=mail.from_address, email_bounced_at__isnull=False).update(
            email_bounced_at=None  # mail from the address: it works again
        )
        message = _add(mail, placement.enquiry)
        return Ingested(outcome=JOINED, enquiry=placement.enquiry, message=message)
    enquiry = new_enquiry_from(mail)
    message = _add(mail, enquiry)
    return Ingested(outcome=NEW, enquiry=enquiry, message=message)


def new_enquiry_from(mail: parsing.ParsedMail) -> Enquiry:
    journalist = _journalist_for(mail)
    return intake.log_enquiry(
        by=None,
        channel=Enquiry.Channel.EMAIL,
        topic=(mail.subject or NO_SUBJECT)[:200],
        journalist=journalist,
        received_at=mail.sent_at,
    )
