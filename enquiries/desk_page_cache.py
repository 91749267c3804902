"""The queue's first page, unfiltered, kept per officer for a moment: the desk's landing page
is opened far more often than the queue changes.

An entry is the page as rendered for one officer, in one language, for one browser (its
CSRF cookie: the page's forms carry tokens made from it), together with the desk's change
version read before it was rendered (desk_changes). It is served only while that version is
still current, so any committed change to what the page shows is seen on the next load; what
changes with the clock alone (an enquiry turning overdue, an FOI request passing its hour)
is at most PRESSDESK_DESK_PAGE_CACHE_SECONDS late. A page with a message to show is never
cached nor served from the cache.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.translation import get_language
from redis.exceptions import RedisError

from enquiries import desk_changes

logger = logging.getLogger(__name__)

# (key, version) of a page to be rendered, set by cached() for remember().
_PENDING_ATTRIBUTE = "_desk_page_pending"


def _key(request: HttpRequest) -> str | None:
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf_cookie or settings.PRESSDESK_DESK_PAGE_CACHE_SECONDS == 0:
        return None
    if len(messages.get_messages(request)):  # counts them without marking them shown
        return None
    owner = f"{request.user.pk}:{get_language()}:{csrf_cookie}"
    return "desk:first-page:" + hashlib.sha256(owner.encode()).hexdigest()[:40]


def cached(request: HttpRequest) -> bytes | None:
    """The page, if one is cached for this officer and nothing has changed since."""
    key = _key(request)
    if key is None:
        return None
    try:
        found = cache.get_many([desk_changes.VERSION_KEY, key])
        version = found.get(desk_changes.VERSION_KEY) or desk_changes.current()
    except RedisError:
        return None
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        get_token(request)  # as rendering would: the CSRF cookie's expiry is renewed
        return entry[1]
    setattr(request, _PENDING_ATTRIBUTE, (key, version))  # version read before rendering
    return None


def remember(request: HttpRequest, content: bytes) -> None:
    """Keep the page cached() could not serve (nothing when it had a message to show)."""
    pending = getattr(request, _PENDING_ATTRIBUTE, None)
    if pending is None:
        return
    key, version = pending
    try:
        cache.set(key, (version, content), settings.PRESSDESK_DESK_PAGE_CACHE_SECONDS)
    except RedisError:
        logger.warning("cache unavailable; the desk page is not cached")
