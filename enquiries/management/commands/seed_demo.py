"""Load realistic demo data: Norwegian outlets, journalists and four years of enquiries."""

import random
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from enquiries.core.desk_settings import desk_settings, update_desk_settings
from enquiries.handling import catalogue, contacts
from enquiries.handling import enquiries as handling
from enquiries.intake import log as intake
from enquiries.management import demo_data
from enquiries.models import CannedReply, Enquiry, Journalist, Outlet, TopicCategory


class Command(BaseCommand):
    help = "Load demo outlets, journalists and enquiries (idempotent: a second run adds nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = self._seed()
        except DatabaseError as exc:
            msg = f"seed_demo failed: the database refused the demo data ({type(exc).__name__})."
            raise CommandError(msg) from exc
        self.stdout.write(
            f"Demo data: {counts['categories']} new categories, {counts['outlets']} new outlets, "
            f"{counts['journalists']} new journalists, {counts['enquiries']} new enquiries, "
            f"{counts['messages']} new messages, {counts['canned replies']} new canned replies."
        )

    @transaction.atomic
    def _seed(self) -> dict[str, int]:
        counts = dict.fromkeys(
            ["categories", "outlets", "journalists", "enquiries", "messages", "canned replies"], 0
        )
        categories = {}
        for name in demo_data.CATEGORIES:
            category = TopicCategory.objects.filter(name__iexact=name).first()
            if category is None:
                category = catalogue.save_reference_item(item=TopicCategory(name=name), by=None)
                counts["categories"] += 1
            categories[name] = category

        for name, body in demo_data.CANNED_REPLIES:
            _canned, created = CannedReply.objects.get_or_create(name=name, defaults={"body": body})
            counts["canned replies"] += created
        if not desk_settings().signature:
            update_desk_settings(by=None, signature=demo_data.SIGNATURE)

        outlets = {}
        for name, kind in demo_data.OUTLETS:
            before = Outlet.objects.filter(name__iexact=name).exists()
            outlets[name] = contacts.find_or_create_outlet(name=name, kind=kind)
            counts["outlets"] += 0 if before else 1

        journalists: list[Journalist] = []
        for first, last, email, mobile, outlet_name in demo_data.JOURNALISTS:
            journalist = contacts.find_journalist(email=email)
            if journalist is None:
                journalist = contacts.create_journalist(
                    by=None,
                    first_name=first,
                    last_name=last,
                    email=email,
                    mobile=mobile,
                    outlet=outlets[outlet_name],
                )
                counts["journalists"] += 1
            journalists.append(journalist)

        if Enquiry.objects.filter(journalist__in=journalists).exists():
            return counts  # the enquiries were loaded by an earlier run

        # The same demo every time (not for secrets); only the dates follow today.
        rng = random.Random(2026)  # noqa: S311
        now = timezone.now()
        # Oldest first, so reference numbers follow the dates within each year.
        for index in reversed(range(demo_data.ENQUIRY_COUNT)):
            category_name, topic, details = rng.choice(demo_data.TOPICS)
            # Spread over four years, so the three-year purge has something to do.
            age = timedelta(
                days=1460 * (index / demo_data.ENQUIRY_COUNT) ** 1.4, hours=rng.randint(0, 9)
            )
            received_at = (now - age).replace(hour=rng.randint(8, 15), minute=rng.randint(0, 59))
            received_at = min(received_at, now)
            journalist = rng.choice(journalists)
            enquiry = intake.log_enquiry(
                by=None,
                channel=rng.choice(demo_data.CHANNELS),
                topic=topic,
                details=details,
                journalist=journalist,
                received_at=received_at,
                deadline=received_at + timedelta(hours=rng.choice([4, 24, 48]))
                if rng.random() < 0.5
                else None,
                topic_category=categories[category_name],
            )
            counts["enquiries"] += 1
            if age > timedelta(days=3):
                handling.add_message(
                    enquiry_id=enquiry.pk,
                    by=None,
                    direction="out",
                    sent_at=received_at + timedelta(hours=2),
                    from_address="presse@helseetaten.example",
                    to_address=journalist.email or "",
                    subject=f"Sv: {topic}",
                    body=rng.choice(demo_data.REPLIES),
                )
                counts["messages"] += 1
                handling.change_status(enquiry_id=enquiry.pk, status="answered", by=None)
                if age > timedelta(days=14):
                    handling.change_status(enquiry_id=enquiry.pk, status="closed", by=None)
            elif rng.random() < 0.4:
                handling.change_status(enquiry_id=enquiry.pk, status="in_progress", by=None)
        return counts
