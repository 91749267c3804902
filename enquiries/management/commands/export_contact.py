"""Write everything held about a journalist to standard output, as JSON or CSV."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from enquiries.csv_safe import to_csv
from enquiries.management.commands._contact import add_contact_arguments, contact_from
from enquiries.services import privacy

CSV_HEADER = [
    "first_name", "last_name", "email", "phone", "mobile", "outlet",
    "reference", "received_at", "channel", "kind", "status", "topic", "details", "deadline",
    "topic_category", "message_direction", "message_date", "message_from", "message_to",
    "message_subject", "message_body",
]  # fmt: skip
ENQUIRY_KEYS = (
    "reference", "received_at", "channel", "kind", "status", "topic", "details", "deadline",
    "topic_category",
)  # fmt: skip


def csv_rows(export: dict[str, Any]) -> list[list[object]]:
    """One row per message (or per enquiry without messages, or per contact without enquiries)."""
    rows: list[list[object]] = []
    for person in export["journalists"]:
        contact = [
            person[k] for k in ("first_name", "last_name", "email", "phone", "mobile", "outlet")
        ]
        for enquiry in person["enquiries"] or [None]:
            if enquiry is None:
                rows.append(contact + [""] * 15)
                continue
            head = [enquiry[k] for k in ENQUIRY_KEYS]
            for message in enquiry["messages"] or [None]:
                tail = (
                    [message[k] for k in ("direction", "date", "from", "to", "subject", "body")]
                    if message
                    else [""] * 6
                )
                rows.append(contact + head + tail)
    return rows


class Command(BaseCommand):
    help = "Export everything held about a journalist (by e-mail or phone) as JSON or CSV."

    def add_arguments(self, parser: Any) -> None:
        add_contact_arguments(parser)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        contact = contact_from(options)
        try:
            export = privacy.export_contact(by=None, **contact)
        except DatabaseError as exc:
            msg = f"Export failed ({type(exc).__name__})."
            raise CommandError(msg) from exc
        if options["format"] == "csv":
            self.stdout.write(to_csv(CSV_HEADER, csv_rows(export)), ending="")
        else:
            self.stdout.write(json.dumps(export, ensure_ascii=False, indent=2))
        self.stderr.write(f"Exported {len(export['journalists'])} contact(s).")
