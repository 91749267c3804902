"""Write everything held about a journalist to standard output, as JSON or CSV."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from enquiries.management.commands._contact import add_contact_arguments, contact_from
from enquiries.privacy.csv_safe import to_csv
from enquiries.privacy.export import export_contact
from enquiries.privacy.export_formats import CSV_HEADER, csv_rows


class Command(BaseCommand):
    help = "Export everything held about a journalist (by e-mail or phone) as JSON or CSV."

    def add_arguments(self, parser: Any) -> None:
        add_contact_arguments(parser)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        contact = contact_from(options)
        try:
            export = export_contact(by=None, **contact)
        except DatabaseError as exc:
            msg = f"Export failed ({type(exc).__name__})."
            raise CommandError(msg) from exc
        if options["format"] == "csv":
            self.stdout.write(to_csv(CSV_HEADER, csv_rows(export)), ending="")
        else:
            self.stdout.write(json.dumps(export, ensure_ascii=False, indent=2))
        journalists = export["journalists"]
        assert isinstance(journalists, list)  # export_contact's shape: a list of people
        self.stderr.write(f"Exported {len(journalists)} contact(s).")
