"""Celery tasks: each takes ids (or nothing), never personal data, and calls a service."""

import random

from celery import Task, shared_task
from django.db import DatabaseError


def backoff_with_jitter(retries: int, *, base: int = 30, cap: int = 3600) -> int:
    """Exponential backoff with full jitter: spread retries so failures do not stampede."""
    return random.randint(1, min(cap, base * 2**retries))  # noqa: S311 (timing, not secrets)


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


@shared_task(bind=True, max_retries=8, acks_late=True)
def relay_email(self: Task, email_id: int) -> str:
    """Send one outbox row; a second delivery of this task sends nothing."""
    from enquiries.services import outbox

    try:
        return outbox.deliver(email_id=email_id)
    except outbox.TransientFailure as exc:
        if self.request.retries >= self.max_retries:
            return outbox.mark_failed(email_id=email_id, reason=f"gave up: {exc.reason}")
        raise self.retry(exc=exc, countdown=backoff_with_jitter(self.request.retries)) from exc


@shared_task(acks_late=True)
def sweep_outbox() -> dict[str, int]:
    """Every minute: relay what was lost on the way to Redis, report what a dead worker left."""
    from enquiries.services import outbox

    return outbox.sweep()
