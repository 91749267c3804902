"""Shared arguments of the commands that act on one journalist (--email or --phone)."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from enquiries.core.normalise import normalise_email, normalise_phone


def add_contact_arguments(parser: ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="the journalist's e-mail address (any letter case)")
    who.add_argument("--phone", help="the journalist's phone or mobile number")


def contact_from(options: dict[str, Any]) -> dict[str, str | None]:
    """The validated --email/--phone; a bad value is a one-line CommandError, not a traceback."""
    try:
        if options.get("email"):
            return {"email": normalise_email(options["email"]), "phone": None}
        return {"email": None, "phone": normalise_phone(options["phone"])}
    except ValidationError as exc:
        msg = f"Not a valid {'e-mail address' if options.get('email') else 'phone number'}."
        raise CommandError(msg) from exc
