"""The shared cache (Redis), for libraries that call it unguarded.

django-allauth keeps its login rate-limit counters and the "this TOTP code was used"
marks in the default cache and lets any cache error through: with Redis down or hung,
every login would answer 500. Here get, set, add and delete answer as a cache that is
empty and forgets (after one short timeout, PRESSDESK_REDIS_TIMEOUT_MS) and log a
warning; for the next few seconds after a failure they do not even try (a hung Redis would
cost a login page a dozen timeouts otherwise). While Redis is away, logins work, allauth's
counters count nothing, and a TOTP code could be used twice within its 90 seconds (it
still needs the password); axes' throttle lives in the database and keeps working. Other
calls (incr, our own pipelines) still raise, for the callers that handle it themselves.
"""

import logging
import time
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# After a failure, the cache is not tried again for this long (in this process).
RETRY_AFTER_SECONDS = 5.0
# Per server: when it may be tried again (time.monotonic()).
_resting_until: dict[str, float] = {}


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._server_name = str(server)

    def _resting(self) -> bool:
        return time.monotonic() < _resting_until.get(self._server_name, 0.0)

    def _failed(self, operation: str, exc: Exception) -> None:
        _resting_until[self._server_name] = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("cache unavailable on %s (%s)", operation, type(exc).__name__)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        if self._resting():
            return default
        try:
            return super().get(key, default, version)
        except redis.RedisError as exc:
            self._failed("get", exc)
            return default

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        if self._resting():
            return
        try:
            super().set(key, value, timeout, version)
        except redis.RedisError as exc:
            self._failed("set", exc)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        # On failure, as if it were new: a lock or a mark that cannot be kept now.
        if self._resting():
            return True
        try:
            return bool(super().add(key, value, timeout, version))
        except redis.RedisError as exc:
            self._failed("add", exc)
            return True

    def delete(self, key: Any, version: int | None = None) -> bool:
        if self._resting():
            return False
        try:
            return bool(super().delete(key, version))
        except redis.RedisError as exc:
            self._failed("delete", exc)
            return False
