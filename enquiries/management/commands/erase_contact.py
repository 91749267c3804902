"""Erase a journalist as the desk's erasure does, and print the receipt."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from enquiries.management.commands._contact import add_contact_arguments, contact_from
from enquiries.models import ErasureReceipt
from enquiries.privacy.erasure import erase_contact


class Command(BaseCommand):
    help = "Erase everything held about a journalist (by e-mail or phone) and print the receipt."

    def add_arguments(self, parser: Any) -> None:
        add_contact_arguments(parser)
        parser.add_argument("--by", required=True, help="username of the officer who erases")

    def handle(self, *args: Any, **options: Any) -> None:
        contact = contact_from(options)
        try:
            officer = get_user_model().objects.get(username=options["by"], is_active=True)
        except get_user_model().DoesNotExist as exc:
            msg = f"No active user named {options['by']!r}."
            raise CommandError(msg) from exc
        try:
            receipt = erase_contact(by=officer, via=ErasureReceipt.Via.COMMAND, **contact)
        except DatabaseError as exc:
            msg = f"Erasure failed and nothing was changed ({type(exc).__name__})."
            raise CommandError(msg) from exc
        self.stdout.write(
            f"Erasure receipt {receipt.pk} at {receipt.at:%Y-%m-%d %H:%M:%S%z} "
            f"by {officer.username}: "
            f"{receipt.journalists} contacts removed, {receipt.enquiries} enquiries emptied, "
            f"{receipt.messages} messages removed, {receipt.mentions} mentions scrubbed, "
            f"{receipt.audit_events} audit events scrubbed."
        )
