"""/healthz: is the database there, and the broker where one is configured?"""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and (where configured) the broker answer, else 503.

    The purge is reported ("ok", "stale" after 48 hours without a successful run, or "not yet
    run") but does not change the status: a stale purge is for administrators to mend, not a
    reason for the load balancer to take web servers out.
    """
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(state in {"ok", "not configured"} for state in checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **checks,
            "purge": _purge_state(checks["database"]),
        },
        status=200 if healthy else 503,
    )
