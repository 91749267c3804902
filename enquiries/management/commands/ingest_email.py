"""Take one inbound e-mail from standard input: `python manage.py ingest_email < message.eml`."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from enquiries.core.errors import UnreadableMail
from enquiries.intake import inbound_mail as inbound


class Command(BaseCommand):
    help = "Ingest one e-mail (RFC 5322, from standard input) into the enquiry log."

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read(inbound.MAX_BYTES + 1)
        if not raw.strip():
            msg = "No e-mail on standard input."
            raise CommandError(msg)
        try:
            result = inbound.ingest(raw)
        except UnreadableMail as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            msg = f"The e-mail was not stored ({type(exc).__name__}); run again to retry."
            raise CommandError(msg) from exc
        reference = result.enquiry.reference
        if result.message is None:
            self.stdout.write(f"Already ingested into {reference}: nothing changed.")
        elif result.created:
            self.stdout.write(f"New enquiry {reference} with 1 message.")
        else:
            self.stdout.write(f"Added 1 message to {reference}.")
