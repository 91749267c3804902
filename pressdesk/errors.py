"""The pages for when something has gone wrong (handler500): a styled 503 with Retry-After
when the database cannot be reached, a styled 500 for everything else.

Neither page touches the database, the session or the cache (no user, no messages, no CSRF
token): they render while PostgreSQL and Redis are away. They use the base layout's styles
from static files, with no inline style or script (CSP), and never show a traceback.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

# What the 503 asks a browser or a client to wait before trying again.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """The database could not be reached or used (down, restarting, refusing connections,
    a connection dropped mid-request): the request can succeed later, so 503, not 500."""
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside its `except` block, with the exception current."""
    if database_unavailable(sys.exception()):
        response = _page("errors/503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _page("errors/500.html", status=500)


def _page(template: str, *, status: int) -> HttpResponse:
    try:
        # No request: no context processor runs, so nothing reads the session or the database.
        body = render_to_string(template)
    except Exception:  # the page itself failed (e.g. static files missing): plain text
        logger.exception("error page %s could not be rendered", template)
        text = gettext("The service is not available right now. Please try again later.")
        return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=status)
