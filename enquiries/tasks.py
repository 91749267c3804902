"""Celery tasks: each takes ids (or nothing), never personal data, and calls a service."""

import logging
import random

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def dispatch(task: Task, object_id: int) -> None:
    """Queue `task(object_id)`; if the broker is down, the row waits for the sweeper."""
    try:
        task.delay(object_id)
    except Exception as exc:  # any broker failure: the row is safe, and the sweeper will retry
        logger.warning(
            "%s %s: broker unavailable (%s), left for the sweeper",
            task.name,
            object_id,
            type(exc).__name__,
        )


def backoff_with_jitter(retries: int, *, base: int | None = None, cap: int = 3600) -> int:
    """Exponential backoff with full jitter: spread retries so failures do not stampede."""
    base = base or settings.PRESSDESK_RETRY_BASE_SECONDS
    return random.randint(1, min(cap, base * 2 ** min(retries, 20)))  # noqa: S311 (timing)


@shared_task(bind=True, max_retries=3, acks_late=True)
def purge_expired(self: Task) -> str:
    """The nightly retention purge; a second one at the same time does nothing."""
    from enquiries.errors import PurgeAlreadyRunning
    from enquiries.services import retention

    try:
        result = retention.purge_expired()
    except PurgeAlreadyRunning:
        return "skipped: another purge is running"
    except DatabaseError as exc:  # recorded as a failed PurgeRun; try again a little later
        raise self.retry(exc=exc, countdown=backoff_with_jitter(self.request.retries)) from exc
    return f"purged: {result.counts}"


@shared_task(bind=True, max_retries=None, acks_late=True)
def relay_email(self: Task, email_id: int) -> str:
    """Send one outbox row; a second delivery of this task sends nothing. How long a row is
    retried is the outbox's rule (outbox.gives_up), not a fixed count here."""
    from enquiries.services import outbox

    try:
        return outbox.deliver(email_id=email_id)
    except outbox.TransientFailure as exc:
        if outbox.gives_up(email_id=email_id, retries=self.request.retries):
            return outbox.mark_failed(email_id=email_id, reason=f"gave up: {exc.reason}")
        countdown = backoff_with_jitter(self.request.retries)
        outbox.postpone(email_id=email_id, seconds=countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(bind=True, max_retries=None, acks_late=True)
def route_foi(self: Task, routing_id: int) -> str:
    """Post one FOI routing to the archive system (the webhook backend); a second delivery of
    this task posts nothing. Retried for PRESSDESK_FOI_RETRY_SECONDS, then failed."""
    from enquiries.services import foi_routing, outbox

    try:
        return foi_routing.deliver_webhook(routing_id=routing_id)
    except outbox.TransientFailure as exc:
        if foi_routing.gives_up(routing_id=routing_id):
            return foi_routing.mark_failed(routing_id=routing_id, reason=f"gave up: {exc.reason}")
        countdown = backoff_with_jitter(self.request.retries)
        foi_routing.postpone(routing_id=routing_id, seconds=countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(acks_late=True)
def sweep_outbox() -> dict[str, int]:
    """Every minute: relay what was lost on the way to Redis, report what a dead worker left."""
    from enquiries.services import foi_routing, outbox

    return outbox.sweep() | foi_routing.sweep()
