"""Who has an enquiry open: a short-lived key per (enquiry, officer) in the shared cache.

The enquiry page marks its officer present when it is shown and, while it stays open, every
HEARTBEAT_SECONDS (pressdesk/presence.js); a key lapses PRESENCE_SECONDS after the last mark,
so a closed tab drops out by itself (the stored time is checked too: the cache's own expiry
may run on another clock). The cache holds ids and a time only: nothing personal.
Works the same on the laptop's in-memory cache (one process) as on Redis; with Redis away
the notice is simply not shown.
"""

import logging
import time
from collections.abc import Iterable

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
PRESENCE_SECONDS = 90  # beats in a background tab may slow to one a minute


def _key(enquiry_id: int, officer_id: int) -> str:
    return f"desk-presence:v1:{enquiry_id}:{officer_id}"


def mark_open(*, enquiry_id: int, officer_id: int) -> None:
    try:
        cache.set(_key(enquiry_id, officer_id), int(time.time()), PRESENCE_SECONDS)
    except RedisError:
        logger.warning("cache unavailable; presence not recorded")


def mark_closed(*, enquiry_id: int, officer_id: int) -> None:
    try:
        cache.delete(_key(enquiry_id, officer_id))
    except RedisError:
        logger.warning("cache unavailable; presence not cleared")


def others_present(*, enquiry_id: int, officer_id: int, officer_ids: Iterable[int]) -> list[int]:
    """The other officers (of `officer_ids`, the desk's) who have the enquiry open now."""
    keys = {_key(enquiry_id, other): other for other in officer_ids if other != officer_id}
    if not keys:
        return []
    try:
        found = cache.get_many(list(keys))
    except RedisError:
        logger.warning("cache unavailable; presence not read")
        return []
    fresh_since = time.time() - PRESENCE_SECONDS
    return sorted(
        keys[key]
        for key, marked in found.items()
        if isinstance(marked, int) and marked > fresh_since
    )
