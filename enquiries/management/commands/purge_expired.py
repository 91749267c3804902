"""Run the retention purge now (the nightly Celery job does the same)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from enquiries.core.errors import PurgeAlreadyRunning
from enquiries.retention import purge as retention


class Command(BaseCommand):
    help = "Delete what is past the retention period, folding counts into monthly tallies."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
        parser.add_argument("--batch-size", type=int, default=retention.BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            msg = "--batch-size must be at least 1."
            raise CommandError(msg)
        try:
            result = retention.purge_expired(
                dry_run=options["dry_run"], batch_size=options["batch_size"]
            )
        except PurgeAlreadyRunning as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            msg = f"The purge failed ({type(exc).__name__}); what was done so far is kept."
            raise CommandError(msg) from exc
        counts = result.counts
        verb = "Would remove" if result.dry_run else "Removed"
        self.stdout.write(
            f"{verb} (received before {result.cutoff:%Y-%m-%d}): "
            f"{counts['enquiries']} enquiries, {counts['messages']} messages, "
            f"{counts['journalists']} contacts, {counts['audit_events']} audit events, "
            f"{counts['links']} spent links."
        )
