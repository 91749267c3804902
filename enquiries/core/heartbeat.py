"""Heartbeats of the background processes: Celery beat's tick and the outbox sweeper's run.

/healthz reads them: silent longer than PRESSDESK_HEALTH_SILENT_SECONDS means no worker, no
beat, or both, so no sweeping, no purge, no FOI forwarding (see README, Operating it).
"""

from datetime import datetime

from django.utils import timezone

from enquiries.models import Heartbeat

BEAT = "beat"
SWEEP = "sweep"
INBOX = "inbox"  # the inbox poll's last chunk (its synchronous commit makes the chunk durable)


def record(*, name: str) -> None:
    """This process is alive now (one upsert)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def last_seen() -> dict[str, datetime | None]:
    """When each heartbeat was last recorded (None: never)."""
    seen = dict(Heartbeat.objects.values_list("name", "at"))
    return {name: seen.get(name) for name in (BEAT, SWEEP)}
