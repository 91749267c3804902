"""Submissions per client address, per minute and per day, counted in Redis (the cache).

If Redis is down the limit is not enforced: a journalist must still get through.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the last hop of the header a trusted proxy sets (and only then)."""
    header = settings.PRESSDESK_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _counts(*windows: tuple[str, int]) -> list[int]:
    """Count one more in each (key, seconds) window, in one round trip to Redis. Each key
    names its own minute or day, so refreshing its expiry on every count changes nothing."""
    if not hasattr(cache, "_cache"):  # the in-memory cache of a bare laptop
        return [_count_locally(key, ttl) for key, ttl in windows]
    client = cache._cache.get_client(write=True)
    pipeline = client.pipeline(transaction=False)
    for key, ttl in windows:
        full_key = cache.make_and_validate_key(key)
        pipeline.incr(full_key)
        pipeline.expire(full_key, ttl)
    return [int(count) for count in pipeline.execute()[::2]]


def _count_locally(key: str, ttl: int) -> int:
    if cache.add(key, 1, timeout=ttl):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=ttl)
        return 1


def allow_submission(request: HttpRequest) -> bool:
    """Count this submission; False once the address is over either limit."""
    address = client_address(request)
    now = time.time()
    try:
        per_minute, per_day = _counts(
            (f"form-rate:m:{address}:{int(now // 60)}", 60),
            (f"form-rate:d:{address}:{int(now // 86400)}", 86400),
        )
    except RedisError:
        logger.warning("rate limit not enforced: cache unavailable")
        return True
    return (
        per_minute <= settings.PRESSDESK_FORM_RATE_PER_MINUTE
        and per_day <= settings.PRESSDESK_FORM_RATE_PER_DAY
    )
