"""Logging a new enquiry, from the desk, the public form, an e-mail or the demo seed."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from enquiries.core import audit, search_index
from enquiries.foi import routing as foi_routing
from enquiries.handling.duty import duty_officer, received_out_of_hours
from enquiries.handling.rules import check_rules
from enquiries.models import (
    AuditAction,
    Enquiry,
    Journalist,
    Outlet,
    ReferenceCounter,
    TopicCategory,
)
from enquiries.privacy.opt_out import journalist_is_suppressed


def next_reference(*, received_at: datetime) -> str:
    """`P-2026-00042`: numbered per year of receipt (Europe/Oslo), without duplicates.

    The counter row stays locked until the caller's transaction ends, so concurrent
    enquiries queue for a moment rather than collide; a rolled-back one leaves no gap.
    """
    year = received_at.astimezone(ZoneInfo(settings.TIME_ZONE)).year
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:  # one round trip: the public form's hottest statement
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608  # nosec B608: our table name; values bound
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        (number,) = cursor.fetchone()
    return f"P-{year}-{number:05d}"


def log_enquiry(
    *,
    by: User | None,
    channel: str,
    topic: str,
    details: str = "",
    journalist: Journalist | None = None,
    outlet: Outlet | None = None,
    received_at: datetime | None = None,
    kind: str = Enquiry.Kind.PRESS,
    deadline: datetime | None = None,
    topic_category: TopicCategory | None = None,
    opted_out: bool = False,
    submission_key: str | None = None,
    form_details: dict[str, str] | None = None,
    foi_held: bool = False,
) -> Enquiry:
    """Store one enquiry with its reference; `by` is None for the public form and e-mail.
    A `submission_key` already used raises IntegrityError (the public form's double click).
    It goes to the officer on press duty now, and is marked if it came out of hours."""
    now = timezone.now()
    received_at = received_at or now
    # A standing opt-out (rule 3) applies whatever the officer or the form said.
    opted_out = opted_out or journalist_is_suppressed(journalist)
    check_rules(topic=topic, details=details, received_at=received_at, deadline=deadline)
    enquiry = Enquiry(
        received_at=received_at,
        channel=channel,
        kind=kind,
        topic=topic.strip(),
        details=details.strip(),
        journalist=journalist,
        outlet=outlet or (journalist.outlet if journalist else None),
        deadline=deadline,
        topic_category=topic_category,
        opted_out=opted_out,
        created_by=by if by is not None and by.is_authenticated else None,
        submission_key=submission_key,
        form_details=form_details or {},
        out_of_hours=received_out_of_hours(received_at),
        assigned_to=duty_officer(at=now),
    )
    # The related rows were passed in as objects: no query to check they exist.
    enquiry.full_clean(
        exclude=[
            "reference",
            "outlet",
            "journalist",
            "topic_category",
            "created_by",
            "assigned_to",
        ],
        validate_unique=False,
        validate_constraints=False,
    )
    _store(enquiry, by=by, foi_held=foi_held)
    return enquiry


# Checked before the writes, which need no savepoint of their own then (two round trips on
# every enquiry the form, the desk and the inbox log): only a failing statement (a
# `submission_key` used before) ends a caller's block, as the caller's own would.
@transaction.atomic(savepoint=False)
def _store(enquiry: Enquiry, *, by: User | None, foi_held: bool) -> None:
    enquiry.reference = next_reference(received_at=enquiry.received_at)
    enquiry.save()
    search_index.refresh(enquiry_ids=[enquiry.pk])
    audit.record(actor=by, action=AuditAction.ENQUIRY_CREATED, enquiry_id=enquiry.pk)
    if enquiry.assigned_to_id is not None:
        audit.record(
            actor=by,
            action=AuditAction.ENQUIRY_ASSIGNED,
            enquiry_id=enquiry.pk,
            detail={"officer_id": enquiry.assigned_to_id, "rota": True},
        )
    if enquiry.kind == Enquiry.Kind.FOI:  # rule 6: on its way to the post registry at once
        foi_routing.open_routing(enquiry=enquiry, by=by, held=foi_held)
