"""Submissions per client address, per minute and per day.

Counted in Redis when REDIS_URL is set (one pipelined round trip for both windows), and in
Django's cache otherwise (the laptop default: in-process memory). If the counter cannot be
reached the limit is not enforced: a journalist must still get through.
"""

import functools
import ipaddress
import logging
import time
from collections.abc import Sequence
from typing import Protocol

import redis
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


class CounterUnavailable(Exception):
    """The counter could not be reached (or answered nonsense): do not enforce the limit."""


class WindowCounter(Protocol):
    def count(self, *, windows: Sequence[tuple[str, int]]) -> list[int]:
        """Count one more in each (key, seconds) window and return the new counts. Each key
        names its own minute or day, so the window never needs to slide."""
        ...


class RedisWindowCounter:
    """INCR and EXPIRE for every window, in one pipelined round trip."""

    def __init__(self, *, client: redis.Redis) -> None:
        self.client = client

    def count(self, *, windows: Sequence[tuple[str, int]]) -> list[int]:
        pipeline = self.client.pipeline(transaction=False)
        for key, ttl in windows:
            full_key = cache.make_key(key)  # the cache's prefix: one namespace for our keys
            pipeline.incr(full_key)
            pipeline.expire(full_key, ttl)
        try:
            replies = pipeline.execute()
        except redis.RedisError as exc:
            raise CounterUnavailable from exc
        return [int(reply) for reply in replies[::2]]


class CacheWindowCounter:
    """Django's cache API (add, then incr): one or two calls a window, any backend."""

    def count(self, *, windows: Sequence[tuple[str, int]]) -> list[int]:
        return [self._count_one(key=key, ttl=ttl) for key, ttl in windows]

    @staticmethod
    def _count_one(*, key: str, ttl: int) -> int:
        if cache.add(key, 1, timeout=ttl):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=ttl)
            return 1


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    """One client (and connection pool) per process and URL, with short timeouts: a web
    request waits at most PRESSDESK_REDIS_TIMEOUT_MS for the counter before letting the
    journalist through."""
    timeout = settings.PRESSDESK_REDIS_TIMEOUT_SECONDS
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def window_counter() -> WindowCounter:
    """Redis where the deployment has one (REDIS_URL), the cache otherwise."""
    if settings.REDIS_URL:
        return RedisWindowCounter(client=_redis_client(settings.REDIS_URL))
    return CacheWindowCounter()


def _from_trusted_proxy(remote: str) -> bool:
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.PRESSDESK_TRUSTED_PROXIES
    )


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the last hop of PRESSDESK_CLIENT_IP_HEADER when the request came from
    one of PRESSDESK_TRUSTED_PROXIES (anyone else can write that header)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))[:64]
    header = settings.PRESSDESK_CLIENT_IP_HEADER
    if header and request.META.get(header) and _from_trusted_proxy(remote):
        return str(request.META[header]).split(",")[-1].strip()[:64]
    return remote


def client_key(address: str) -> str:
    """The address a limit counts: IPv4 as it is, IPv6 by its /64 (one subscriber's network,
    which hands its devices any address inside it)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:203.0.113.1 is that IPv4 client
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def allow_submission(request: HttpRequest) -> bool:
    """Count this submission; False once the address is over either limit."""
    address = client_key(client_address(request))
    now = time.time()
    try:
        per_minute, per_day = window_counter().count(
            windows=[
                (f"form-rate:m:{address}:{int(now // 60)}", 60),
                (f"form-rate:d:{address}:{int(now // 86400)}", 86400),
            ]
        )
    except CounterUnavailable:
        logger.warning("rate limit not enforced: counter unavailable")
        return True
    return (
        per_minute <= settings.PRESSDESK_FORM_RATE_PER_MINUTE
        and per_day <= settings.PRESSDESK_FORM_RATE_PER_DAY
    )


def spend_stamp(key: str) -> None:
    """A form's one-time key was refused (too fast, a bot, errors shown, over the limit): it
    cannot be sent again. Kept for as long as a stamp lives; if the counter cannot be reached,
    the key stays good (a submission key still makes at most one enquiry of it)."""
    if not key:
        return
    try:
        window_counter().count(
            windows=[(f"form-stamp-spent:{key}", settings.PRESSDESK_FORM_MAX_AGE_SECONDS)]
        )
    except CounterUnavailable:
        logger.warning("form stamp not spent: counter unavailable")


def stamp_spent(key: str) -> bool:
    """Whether this key was refused before. A key sent twice at once (a double click) is not
    spent: both reach the submission, which makes one enquiry and gives both its receipt."""
    if not key:
        return False
    try:
        return bool(cache.get(f"form-stamp-spent:{key}"))
    except Exception:  # the cache's own error, whichever backend: the key stays good
        logger.warning("form stamp not checked: cache unavailable")
        return False
