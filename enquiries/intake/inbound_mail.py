"""One inbound e-mail into the log: threaded into its enquiry, or a new e-mail enquiry.

Threading: our reference (`P-2026-00042`) in the subject, or an In-Reply-To/References
Message-ID we already hold. A Message-ID seen before is never ingested twice.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from enquiries.core.errors import UnreadableMail
from enquiries.core.normalise import normalise_email
from enquiries.handling import contacts
from enquiries.handling import enquiries as handling
from enquiries.intake import log as intake
from enquiries.models import Enquiry, Journalist, Message

REFERENCE = re.compile(r"\bP-(\d{4})-(\d{5,})\b")
MAX_BODY = 100_000  # characters kept of one mail's text
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Ingested:
    enquiry: Enquiry
    message: Message | None  # None when the Message-ID was seen before
    created: bool


def _clean_header(value: object) -> str:
    """Headers reach our fields and later replies: no line breaks or control characters."""
    text = unicodedata.normalize("NFC", str(value or ""))
    return "".join(" " if unicodedata.category(c).startswith("C") else c for c in text).strip()


def _clean_body(text: str) -> str:
    kept = "".join(c for c in text if c in "\n\t" or not unicodedata.category(c).startswith("C"))
    return kept[:MAX_BODY].strip()


def _text_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)  # bytes for a leaf part such as this
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return strip_tags(content) if part.get_content_type() == "text/html" else content


def _sent_at(mail: EmailMessage) -> datetime:
    try:
        moment = parsedate_to_datetime(str(mail["Date"]))
    except (TypeError, ValueError, IndexError):
        return timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return min(moment, timezone.now())  # a sender's clock in the future is not our receipt


def _thread_of(mail: EmailMessage, subject: str) -> Enquiry | None:
    found = REFERENCE.search(subject)
    if found:
        enquiry = Enquiry.objects.filter(reference=found.group(0)).first()
        if enquiry:
            return enquiry
    ids = re.findall(r"<[^<>\s]+>", f"{mail['In-Reply-To'] or ''} {mail['References'] or ''}")
    if ids:
        earlier = Message.objects.filter(message_id__in=ids).select_related("enquiry").first()
        if earlier:
            return earlier.enquiry
    return None


def _sender(mail: EmailMessage) -> tuple[str, str]:
    pairs = getaddresses([str(mail["From"] or "")])
    if not pairs or "@" not in pairs[0][1]:
        raise UnreadableMail
    name, address = pairs[0]
    try:
        return _clean_header(name), normalise_email(address)
    except ValidationError as exc:
        raise UnreadableMail from exc


def _journalist_for(name: str, address: str) -> Journalist:
    found = contacts.find_journalist(email=address)
    if found:
        return found
    first, _, last = (name or Address(addr_spec=address).username).partition(" ")
    return contacts.create_journalist(
        by=None, first_name=first[:100] or address, last_name=last[:100], email=address
    )


@transaction.atomic
def ingest(raw: bytes) -> Ingested:
    if len(raw) > MAX_BYTES:
        raise UnreadableMail
    mail = BytesParser(policy=policy.default).parsebytes(raw)
    name, address = _sender(mail)
    subject = _clean_header(mail["Subject"])[:998]
    message_id = _clean_header(mail["Message-ID"])[:998]
    if message_id:
        seen = Message.objects.filter(message_id=message_id).select_related("enquiry").first()
        if seen:
            return Ingested(enquiry=seen.enquiry, message=None, created=False)
    enquiry = _thread_of(mail, subject)
    created = enquiry is None
    if enquiry is None:
        journalist = _journalist_for(name, address)
        enquiry = intake.log_enquiry(
            by=None,
            channel=Enquiry.Channel.EMAIL,
            topic=(subject or "(uten emne)")[:200],
            journalist=journalist,
            received_at=_sent_at(mail),
        )
    try:
        with transaction.atomic():
            message = handling.add_message(
                enquiry_id=enquiry.pk,
                by=None,
                direction=Message.Direction.INBOUND,
                body=_clean_body(_text_of(mail)),
                sent_at=_sent_at(mail),
                from_address=address,
                to_address=_clean_header(mail["To"])[:1000],
                subject=subject,
                message_id=message_id,
            )
    except IntegrityError:  # the same mail, ingested at this very moment by another process
        seen = Message.objects.select_related("enquiry").get(message_id=message_id)
        return Ingested(enquiry=seen.enquiry, message=None, created=False)
    return Ingested(enquiry=enquiry, message=message, created=created)
