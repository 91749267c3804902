"""Project middleware."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from enquiries.accounts import second_factor, sessions

REFRESHED_KEY = "_idle_refreshed"


class IdleSessionMiddleware:
    """The 30-minute idle expiry without a session write on every request.

    SESSION_SAVE_EVERY_REQUEST would write the session row on each page; this writes it (and
    so moves its expiry) at most once per PRESSDESK_SESSION_REFRESH_SECONDS, so an idle
    session ends between SESSION_COOKIE_AGE minus that and SESSION_COOKIE_AGE after the last
    request. Sits just inside SessionMiddleware, which saves what this marks modified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.session_key:
            now = int(time.time())
            if now - session.get(REFRESHED_KEY, 0) >= settings.PRESSDESK_SESSION_REFRESH_SECONDS:
                session[REFRESHED_KEY] = now
        return response


class AccountSessionMiddleware:
    """Ends a session that outlived PRESSDESK_SESSION_MAX_SECONDS since login, whose user may
    no longer use the desk, or that a "log out everywhere" revoked (enquiries.accounts.
    sessions). The request goes on as anonymous: the desk sends it to the login page.
    Sits just after AuthenticationMiddleware; asks no query (the backend loads the answers
    with the user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is not None
            and not session.is_empty()
            and not sessions.still_valid(request=request, user=request.user)
        ):
            logout(request)
        return self.get_response(request)


class PublicBodyMiddleware:
    """The public forms take small urlencoded bodies, and nothing else, refused before anything
    reads the body: on /enquiry/ and /privacy/ a multipart body (415) or a chunked one of
    unknown length (411); on any public URL one over PRESSDESK_PUBLIC_MAX_BODY_BYTES (413).
    No view, CSRF check or upload handler reads or spools it. The desk, admin and login keep
    Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    STAFF_PREFIXES = ("/desk/", "/admin/", "/accounts/")
    FORM_PREFIXES = ("/enquiry/", "/privacy/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method != "POST" or path.startswith(self.STAFF_PREFIXES):
            return self.get_response(request)
        length = request.META.get("CONTENT_LENGTH") or ""
        if path.startswith(self.FORM_PREFIXES):
            if request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/"):
                return _refused(415, "Send the form as application/x-www-form-urlencoded.")
            if request.META.get("HTTP_TRANSFER_ENCODING") and not length.isdigit():
                return _refused(411, "A Content-Length is required.")  # a chunked body
        if length.isdigit() and int(length) > settings.PRESSDESK_PUBLIC_MAX_BODY_BYTES:
            return _refused(413, "The request is too large.")
        return self.get_response(request)


def _refused(status: int, reason: str) -> HttpResponse:
    return HttpResponse(reason + "\n", status=status, content_type="text/plain; charset=utf-8")


class SecondFactorMiddleware:
    """Sends an officer or administrator who has no second factor (and no exception: see
    enquiries.accounts.second_factor) to enrol before any desk or admin page. The account
    pages (/accounts/: enrolment, logout) stay open to them. Asks no query: the backend
    loads the answer with the user."""

    GUARDED_PREFIXES = ("/desk/", "/admin/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info.startswith(self.GUARDED_PREFIXES)
            and second_factor.standing(request) == "enrol"
        ):
            messages.warning(
                request,
                _("Set up a second factor (an authenticator app or a passkey) to continue."),
            )
            return redirect("mfa_index")
        return self.get_response(request)
