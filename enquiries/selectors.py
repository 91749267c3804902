"""Reads: each query decides its joins and columns here, once."""

import logging

from django.core.cache import cache
from redis.exceptions import RedisError

from enquiries.models import DeskSettings
from enquiries.services.desk_settings import CACHE_KEY

SETTINGS_CACHE_SECONDS = 300
logger = logging.getLogger(__name__)


def desk_settings() -> DeskSettings:
    """The settings row, from the shared cache; at most one query per five minutes."""
    try:
        row = cache.get(CACHE_KEY)
    except RedisError:
        logger.warning("cache unavailable; reading desk settings from the database")
        return DeskSettings.objects.get(pk=DeskSettings.SINGLETON_ID)
    if row is None:
        row = DeskSettings.objects.get(pk=DeskSettings.SINGLETON_ID)
        try:
            cache.set(CACHE_KEY, row, SETTINGS_CACHE_SECONDS)
        except RedisError:
            logger.warning("cache unavailable; desk settings not cached")
    return row
