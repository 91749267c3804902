"""Poll the press inbox once now: `python manage.py poll_inbox` (beat does it every minute)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from enquiries.intake import mailbox


class Command(BaseCommand):
    help = "Poll the press inbox (PRESSDESK_INBOX_URL) once and print what came in."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = mailbox.poll()
        except mailbox.InboxNotConfigured as exc:
            msg = "PRESSDESK_INBOX_URL is not set: there is no inbox to poll."
            raise CommandError(msg) from exc
        except mailbox.InboxUnavailable as exc:
            msg = f"The inbox could not be polled: {exc.reason}. Nothing was lost."
            raise CommandError(msg) from exc
        except DatabaseError as exc:
            msg = f"The database failed mid-poll ({type(exc).__name__}); nothing was lost."
            raise CommandError(msg) from exc
        if result.skipped:
            msg = "Another poll is running; this one did nothing."
            raise CommandError(msg)
        counts = result.counts
        self.stdout.write(
            f"Polled in {result.seconds:.2f} s: {counts['new']} new enquiries, "
            f"{counts['joined']} added to threads, {counts['noted']} automatic replies noted, "
            f"{counts['held']} held, {counts['duplicate']} already ingested."
        )
