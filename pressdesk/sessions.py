"""Sessions read from the cache (Redis) and written through to the database, which survive
the cache being down or hung.

Django's `cached_db` falls back to the database only for a cache that answers and is empty:
its `load()` writes the cache outside its `try`, and `exists()` and `delete()` call the cache
unguarded, so a Redis that is down answers every desk page, a login and a logout with a 500.
Here every cache call is guarded: a failing cache costs one short timeout (the cache's
socket timeouts, PRESSDESK_REDIS_TIMEOUT_MS) and the database answers instead. Officers stay
logged in and can work; login and logout work.

One thing the database cannot undo: a logout while Redis is away (hung, then resumed) leaves
the cached copy of the session until it expires (the idle timeout, SESSION_COOKIE_AGE). The
browser's cookie is gone; a copied cookie would work until then.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache import BaseCache, caches
from django.utils import timezone

logger = logging.getLogger(__name__)


def _cache() -> BaseCache:
    return caches[settings.SESSION_CACHE_ALIAS]


class SessionStore(cached_db.SessionStore):
    """`cached_db` with every cache call guarded (public API of the base classes only)."""

    def load(self) -> dict[str, object]:
        try:
            data = _cache().get(self.cache_key)
        except Exception as exc:  # any cache failure: the database answers
            logger.warning("session cache unavailable on read (%s)", type(exc).__name__)
            return DBStore.load(self)
        if data is not None:
            return data
        data = DBStore.load(self)  # {} (and a new key on save) when there is no live row
        if data:
            expires = (
                self.model.objects.filter(session_key=self.session_key)
                .values_list("expire_date", flat=True)
                .first()
            )
            if expires is not None and expires > timezone.now():
                self._cache_set(data, self.get_expiry_age(expiry=expires))
        return data

    def exists(self, session_key: str | None) -> bool:
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in _cache():
                return True
        except Exception as exc:
            logger.warning("session cache unavailable on exists (%s)", type(exc).__name__)
        return DBStore.exists(self, session_key)

    def save(self, must_create: bool = False) -> None:
        DBStore.save(self, must_create)
        self._cache_set(dict(self.items()), self.get_expiry_age())

    def delete(self, session_key: str | None = None) -> None:
        DBStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            _cache().delete(self.cache_key_prefix + session_key)
        except Exception as exc:
            logger.warning("session cache unavailable on delete (%s)", type(exc).__name__)

    def _cache_set(self, data: dict[str, object], timeout: int) -> None:
        try:
            _cache().set(self.cache_key, data, timeout)
        except Exception as exc:
            logger.warning("session cache unavailable on write (%s)", type(exc).__name__)
