"""Create (or refresh) the demo press officer and print the credentials to log in with."""

import secrets
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from enquiries.handling import duty
from enquiries.models import DutyShift


class Command(BaseCommand):
    help = "Create the demo press officer (also an administrator) with a new random password."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="Where the app is served."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            msg = "create_demo_officer runs only with DEBUG=true: it prints a password."
            raise CommandError(msg)
        username = settings.PRESSDESK_DEMO_OFFICER
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": "Demo", "last_name": "Pressevakt"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Press officers"))
        if duty.current_shift() is None:  # on press duty for a week, so new enquiries go there
            start = datetime.combine(
                timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone()
            )
            duty.save_shift(
                shift=DutyShift(officer=user, starts_at=start, ends_at=start + timedelta(days=7)),
                by=None,
            )
        state = "created" if created else "password renewed"
        self.stdout.write(
            f"\nDemo press officer ({state}):\n"
            f"  username: {username}\n  password: {password}\n"
            f"  log in at {options['url']}/accounts/login/ or {options['url']}/admin/\n"
            "  (no second factor asked: this user is exempt while DEBUG is on, and only then)\n"
        )
