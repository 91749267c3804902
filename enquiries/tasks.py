"""Celery tasks: each takes ids (or nothing), never personal data, and calls a service."""

import logging
import random

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError

from enquiries.core.dispatch import dispatch

logger = logging.getLogger(__name__)


def backoff_with_jitter(retries: int, *, base: int | None = None, cap: int = 3600) -> int:
    """Exponential backoff with full jitter: spread retries so failures do not stampede."""
    base = base or settings.PRESSDESK_RETRY_BASE_SECONDS
    return random.randint(1, min(cap, base * 2 ** min(retries, 20)))  # noqa: S311 (timing)


@shared_task(bind=True, max_retries=3, acks_late=True)
def purge_expired(self: Task) -> str:
    """The nightly retention purge; a second one at the same time does nothing."""
    from enquiries.core.errors import PurgeAlreadyRunning
    from enquiries.retention import purge as retention

    try:
        result = retention.purge_expired()
    except PurgeAlreadyRunning:
        return "skipped: another purge is running"
    except DatabaseError as exc:  # recorded as a failed PurgeRun; try again a little later
        raise self.retry(exc=exc, countdown=backoff_with_jitter(self.request.retries)) from exc
    return f"purged: {result.counts}"


@shared_task(bind=True, max_retries=5, acks_late=True)
def mail_monthly_summary(self: Task) -> str:
    """On the first of each month: last month's figures to the addresses in desk settings.
    Queued once per address and month, so a retry or a second run sends nothing twice."""
    from django.utils import timezone

    from enquiries.reports import summary

    try:
        queued = summary.queue_monthly_summary(month=summary.month_before(timezone.localdate()))
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=backoff_with_jitter(self.request.retries)) from exc
    return f"queued: {queued}"


@shared_task(bind=True, max_retries=None, acks_late=True)
def relay_email(self: Task, email_id: int) -> str:
    """Send one outbox row (any transport); a second delivery of this task sends nothing.
    How long a row is retried is the outbox's rule (outbox.gives_up), not a count here."""
    from enquiries.mail import outbox

    try:
        return outbox.deliver(email_id=email_id)
    except outbox.TransientFailure as exc:
        if outbox.gives_up(email_id=email_id, retries=self.request.retries):
            return outbox.mark_failed(email_id=email_id, reason=f"{outbox.GAVE_UP}{exc.reason}")
        countdown = backoff_with_jitter(self.request.retries)
        outbox.postpone(email_id=email_id, seconds=countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(acks_late=True)
def route_foi(routing_id: int) -> str:
    """Kept for messages queued before FOI routings became outbox rows: relays the routing's
    delivery (the sweeper would pick it up anyway)."""
    from enquiries.models import FoiRouting

    delivery_id = (
        FoiRouting.objects.filter(pk=routing_id).values_list("delivery_id", flat=True).first()
    )
    if delivery_id is None:
        return "skipped: no delivery"
    dispatch(relay_email.name, delivery_id)
    return "relayed"


@shared_task(acks_late=True)
def sweep_outbox() -> dict[str, int]:
    """Every minute: relay what was lost on the way to Redis, resolve what a dead worker left."""
    from enquiries.core import heartbeat
    from enquiries.mail import outbox

    result = outbox.sweep()
    heartbeat.record(name=heartbeat.SWEEP)
    return result


@shared_task(ignore_result=True)
def beat_tick() -> None:
    """Every minute from beat: a worker ran it, so beat and at least one worker are alive."""
    from enquiries.core import heartbeat

    heartbeat.record(name=heartbeat.BEAT)


@shared_task(acks_late=True)
def poll_inbox() -> str:
    """Every minute from beat: the press inbox. One poll at a time (a second one does
    nothing); a failure is logged and the next minute's poll catches up."""
    from enquiries.intake import mailbox

    try:
        result = mailbox.poll()
    except mailbox.InboxNotConfigured:
        return "skipped: no inbox configured"
    except mailbox.InboxUnavailable as exc:
        logger.warning("inbox: not polled (%s); the next poll catches up", exc.reason)
        return "failed"
    if result.skipped:
        return "skipped: another poll is running"
    return f"polled: {dict(result.counts)}"
