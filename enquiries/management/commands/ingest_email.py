"""Take one inbound e-mail from standard input: `python manage.py ingest_email < message.eml`."""

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from enquiries.core.errors import UnreadableMail
from enquiries.intake import inbound_mail as inbound
from enquiries.intake.mail_parsing import parse_bytes


class Command(BaseCommand):
    help = "Ingest one e-mail (RFC 5322, from standard input) into the enquiry log."

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read(settings.PRESSDESK_INBOX_MAX_MAIL_BYTES + 1)
        if not raw.strip():
            msg = "No e-mail on standard input."
            raise CommandError(msg)
        if not any(parse_bytes(raw[:65536]).keys()):  # no header at all: not an e-mail
            raise CommandError(str(UnreadableMail()))
        size = len(raw)
        while chunk := sys.stdin.buffer.read(1 << 20):  # over the limit: counted, not kept
            size += len(chunk)
        try:
            result = inbound.ingest(raw, size=size)
        except DatabaseError as exc:
            msg = f"The e-mail was not stored ({type(exc).__name__}); run again to retry."
            raise CommandError(msg) from exc
        self.stdout.write(describe(result))


def describe(result: inbound.Ingested) -> str:
    reference = result.enquiry.reference if result.enquiry else ""
    if result.outcome == inbound.DUPLICATE:
        return "Already ingested: nothing changed."
    if result.outcome == inbound.NEW:
        return f"New enquiry {reference} with 1 message."
    if result.outcome == inbound.NOTED:
        return f"Automatic reply noted in {reference}."
    if result.outcome == inbound.HELD and result.held is not None:
        return f"Held in the holding pen: {result.held.get_reason_display()}."
    return f"Added 1 message to {reference}."
