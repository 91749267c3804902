"""Queue the monthly summary of figures now (beat does it on the first of each month)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from enquiries.reports import summary


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        msg = f"--month takes a month as YYYY-MM, not {text[:20]!r}."
        raise CommandError(msg) from None


class Command(BaseCommand):
    help = "Mail the summary of a month's figures to the addresses in desk settings."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", help="YYYY-MM; by default last month")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        start = _month(options["month"]) if options["month"] else None
        month = summary.month_before(today) if start is None else summary.month_of(start)
        try:
            queued = summary.queue_monthly_summary(month=month)
        except DatabaseError as exc:
            msg = f"Nothing was queued: the database failed ({type(exc).__name__})."
            raise CommandError(msg) from exc
        self.stdout.write(
            f"Queued the summary of {month.start:%Y-%m} to {queued} address(es)"
            " (addresses that already had it are skipped; set them in admin, Desk settings)."
        )
