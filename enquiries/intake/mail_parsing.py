"""One raw mail read into what the desk needs, whatever state it arrives in.

Nothing here raises on a bad mail: a header that cannot be decoded is read as raw text, an
unknown charset as UTF-8 or Windows-1252, a missing Date as now, a missing or broken sender as
none (the mail is then held). What kind of mail it is (a person's, an automatic reply, a
bounce, bulk) is decided here from its headers and structure.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import Policy
from email.utils import getaddresses, parsedate_to_datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from enquiries.core.normalise import normalise_email
from enquiries.intake.mail_text import decoded, part_text

MAX_BODY = 100_000  # characters kept of one mail's text

PERSON = "person"
AUTO_REPLY = "auto_reply"
BOUNCE = "bounce"
BULK = "bulk"

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class Attached:
    filename: str
    content_type: str
    content: bytes


@dataclass
class ParsedMail:
    from_name: str
    from_address: str  # normalised; "" when there is none that works
    to_address: str
    subject: str
    message_id: str
    refers_to: list[str]  # In-Reply-To and References, newest last
    sent_at: datetime
    text: str
    kind: str
    attachments: list[Attached] = field(default_factory=list)
    bounced_addresses: list[str] = field(default_factory=list)  # permanent failures only
    bounced_message_ids: list[str] = field(default_factory=list)


def clean_header(value: object) -> str:
    """Headers reach our fields and later replies: no line breaks or control characters."""
    text = unicodedata.normalize("NFC", str(value or ""))
    return " ".join(
        "".join(" " if unicodedata.category(c).startswith("C") else c for c in text).split()
    )


def clean_body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in text if c in "\n\t" or not unicodedata.category(c).startswith("C"))
    return kept[:MAX_BODY].strip()


def header(mail: Message | EmailMessage, name: str) -> str:
    """A header's decoded text; a header the parser chokes on is decoded by hand."""
    try:
        value = mail[name]
        return "" if value is None else str(value)
    except Exception:
        for key, raw in mail.raw_items():
            if key.lower() == name.lower():
                try:
                    return str(make_header(decode_header(str(raw))))
                except Exception:
                    return str(raw)
        return ""


class _ReadOnlyMail(EmailMessage):
    """A parsed mail we only read: each header is parsed once. The standard library parses
    a header again on every access, and reading one mail asks for Content-Type alone a dozen
    times (walking the parts, finding the body); that was most of the parsing time."""

    def __init__(self, policy: Policy = policy.default) -> None:
        super().__init__(policy)
        self._parsed: dict[str, object] = {}

    def get(self, name, failobj=None):  # type: ignore[no-untyped-def]  # the stub's overloads
        key = name.lower()
        if key not in self._parsed:
            self._parsed[key] = super().get(name)
        value = self._parsed[key]
        return failobj if value is None else value

    def __setitem__(self, name, value):  # type: ignore[no-untyped-def]  # the stub's types
        self._parsed.clear()
        super().__setitem__(name, value)

    def __delitem__(self, name):  # type: ignore[no-untyped-def]  # the stub's types
        self._parsed.clear()
        super().__delitem__(name)


_READ_ONLY = policy.default.clone(message_factory=_ReadOnlyMail)


def parse_bytes(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=_READ_ONLY).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def _sender(mail: EmailMessage) -> tuple[str, str]:
    pairs = getaddresses([header(mail, "From")])
    if not pairs or "@" not in pairs[0][1]:
        return "", ""
    name, address = pairs[0]
    try:
        normalised = normalise_email(address)
    except ValidationError:
        return clean_header(name)[:200], ""
    return clean_header(name)[:200], normalised if len(normalised) <= 254 else ""


def _sent_at(mail: EmailMessage) -> datetime:
    try:
        moment = parsedate_to_datetime(header(mail, "Date"))
    except (TypeError, ValueError, IndexError):
        return timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return min(moment, timezone.now())  # a sender's clock in the future is not our receipt


def _kind(mail: EmailMessage, from_address: str) -> str:
    content_type = mail.get_content_type()
    report = mail.get_param("report-type", header="content-type")
    local = from_address.partition("@")[0]
    if (content_type == "multipart/report" and str(report).lower() == "delivery-status") or (
        local in {"mailer-daemon", "postmaster"}
    ):
        return BOUNCE
    auto = header(mail, "Auto-Submitted").strip().lower()
    precedence = header(mail, "Precedence").strip().lower()
    if (
        (auto and auto != "no")
        or header(mail, "X-Autoreply")
        or header(mail, "X-Autorespond")
        or header(mail, "X-Auto-Response-Suppress")
        or precedence == "auto_reply"
    ):
        return AUTO_REPLY
    if precedence in {"bulk", "list", "junk"} or header(mail, "List-Id"):
        return BULK
    if header(mail, "Return-Path").strip() == "<>":  # a null sender: nobody to answer
        return AUTO_REPLY
    return PERSON


def _text(mail: EmailMessage, part: Message | None) -> str:
    if part is None:
        part = next((p for p in mail.walk() if p.get_content_maintype() == "text"), None)
    return part_text(part) if part is not None else ""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    return clean_header(name or "")[:255].replace("/", "_").replace("\\", "_")


def _leaves(part: Message) -> Iterator[Message]:
    """The leaf parts, a forwarded mail (message/rfc822) counted as one leaf."""
    if part.get_content_type() == "message/rfc822":
        yield part
        return
    payload = part.get_payload()
    if part.is_multipart() and isinstance(payload, list):
        for sub in payload:
            if isinstance(sub, Message):
                yield from _leaves(sub)
        return
    yield part


def _attachments(mail: EmailMessage, body_part: Message | None) -> list[Attached]:
    found = []
    for part in _leaves(mail):
        if part is body_part or (part is mail and mail.get_content_maintype() == "text"):
            continue
        content_type = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if content_type == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            data = first.as_bytes() if isinstance(first, Message) else b""
            found.append(Attached(filename or "forwarded.eml", content_type, data))
            continue
        if (
            disposition != "attachment"
            and not filename
            and content_type.startswith("text/")
            and content_type != "text/calendar"  # an invitation: kept as its .ics
        ):
            continue  # an alternative or inline text part: its words are in the body
        if content_type in {"message/delivery-status", "text/rfc822-headers"}:
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        extension = {"text/calendar": ".ics"}.get(content_type, ".bin")
        found.append(Attached(filename or f"attachment{extension}", content_type[:100], data))
    return found


def _bounce_details(mail: EmailMessage) -> tuple[list[str], list[str]]:
    """Permanently failed recipients (Status 5.x.x), and the Message-IDs bounced."""
    addresses: list[str] = []
    message_ids: list[str] = []
    for part in mail.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            text = _delivery_status_text(part)
            for block in re.split(r"\n\s*\n", text):
                recipient = re.search(r"^Final-Recipient:\s*[^;]*;\s*(\S+)", block, re.I | re.M)
                status = re.search(r"^Status:\s*(\d)\.", block, re.I | re.M)
                action = re.search(r"^Action:\s*(\w+)", block, re.I | re.M)
                failed = (status and status.group(1) == "5") or (
                    action and action.group(1).lower() == "failed" and not status
                )
                if recipient and failed:
                    try:
                        addresses.append(normalise_email(recipient.group(1).strip("<>")))
                    except ValidationError:
                        continue
        elif content_type in {"message/rfc822", "text/rfc822-headers"}:
            text = decoded(part) if content_type.startswith("text/") else _inner_headers(part)
            found = re.search(r"^Message-ID:\s*(<[^<>\s]+>)", text, re.I | re.M)
            if found:
                message_ids.append(found.group(1))
    return addresses, message_ids


def _delivery_status_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):  # the parser reads the status blocks as header blocks
        return "\n\n".join(
            "\n".join(f"{k}: {v}" for k, v in block.items())
            for block in payload
            if isinstance(block, Message)
        )
    return decoded(part)


def _inner_headers(part: Message) -> str:
    payload = part.get_payload()
    first = payload[0] if isinstance(payload, list) and payload else None
    return "\n".join(f"{k}: {v}" for k, v in first.items()) if isinstance(first, Message) else ""


def parse(raw: bytes) -> ParsedMail:
    mail = parse_bytes(raw)
    name, address = _sender(mail)
    kind = _kind(mail, address)
    try:
        body_part = mail.get_body(preferencelist=("plain", "html"))
    except Exception:
        body_part = None
    attachments = _attachments(mail, body_part)
    bounced, bounced_ids = _bounce_details(mail) if kind == BOUNCE else ([], [])
    references = _MESSAGE_ID.findall(f"{header(mail, 'References')} {header(mail, 'In-Reply-To')}")
    return ParsedMail(
        from_name=name,
        from_address=address,
        to_address=clean_header(header(mail, "To"))[:1000],
        subject=clean_header(header(mail, "Subject"))[:998],
        message_id=clean_header(header(mail, "Message-ID"))[:998],
        refers_to=references,
        sent_at=_sent_at(mail),
        text=clean_body(_text(mail, body_part)),
        kind=kind,
        attachments=attachments,
        bounced_addresses=bounced,
        bounced_message_ids=bounced_ids,
    )
