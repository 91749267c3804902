"""/healthz: is the database there, the broker where one is configured, and are the
background processes (worker and beat) alive?"""

import logging
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from enquiries.core import heartbeat

logger = logging.getLogger(__name__)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("health: database unavailable")
        return "unavailable"
    return "ok"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        client.close()
    except redis.RedisError:
        logger.warning("health: broker unavailable")
        return "unavailable"
    return "ok"


def _purge_state(database: str) -> str:
    if database != "ok":
        return "unknown"
    from enquiries.retention.purge import purge_state

    try:
        return purge_state()
    except DatabaseError:
        return "unknown"


def _processes(database: str) -> dict[str, str | None]:
    """The last beat tick and sweep, and "ok", "silent" (either is older than
    PRESSDESK_HEALTH_SILENT_SECONDS, or never seen), "not configured" (no Redis: tasks run
    in-process, there is no worker or beat) or "unknown" (no database to ask)."""
    if database != "ok":
        return {"processes": "unknown", "last_beat_tick": None, "last_sweep": None}
    try:
        seen = heartbeat.last_seen()
    except DatabaseError:
        return {"processes": "unknown", "last_beat_tick": None, "last_sweep": None}
    if not settings.REDIS_URL:
        state = "not configured"
    else:
        since = timezone.now() - timedelta(seconds=settings.PRESSDESK_HEALTH_SILENT_SECONDS)
        alive = all(at is not None and at >= since for at in seen.values())
        state = "ok" if alive else "silent"
        if not alive:
            logger.warning("health: worker or beat silent (beat %s, sweep %s)", *seen.values())

    def iso(at: datetime | None) -> str | None:
        return at.isoformat() if at else None

    return {
        "processes": state,
        "last_beat_tick": iso(seen[heartbeat.BEAT]),
        "last_sweep": iso(seen[heartbeat.SWEEP]),
    }


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """503 ("unavailable") when the database or (where configured) the broker does not
    answer; otherwise 200, with status "ok", or "degraded" when the worker or beat has been
    silent (processes "silent"): the web still serves and mail waits in the outbox, so a load
    balancer keeps the server, while monitoring alerts on the status field.

    The purge is reported ("ok", "stale" after 48 hours without a successful run, or "not yet
    run") but does not change the status: a stale purge is for administrators to mend, not a
    reason for the load balancer to take web servers out.
    """
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(state in {"ok", "not configured"} for state in checks.values())
    processes = _processes(checks["database"])
    if not healthy:
        status = "unavailable"
    elif processes["processes"] == "silent":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, **checks, "purge": _purge_state(checks["database"]), **processes},
        status=200 if healthy else 503,
    )
