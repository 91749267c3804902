"""Fetch-and-authorise helpers for the desk: every /desk/ view goes through here.

`desk_view` sends anonymous users to the login page and answers 403 (logged, ids only) to
logged-in users without the press-officer permission. The fetch helpers answer "missing" with
404; officers may see every enquiry and journalist, so there is no "not yours" case yet.
"""

import functools
import logging
from collections.abc import Callable
from typing import Concatenate, TypeGuard

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from enquiries import access
from enquiries.models import Enquiry, Journalist
from enquiries.queue.records import enquiry_detail, journalist_card

logger = logging.getLogger("enquiries.desk.access")


class DeskRequest(HttpRequest):
    """A request that `desk_view` let through: its user is an officer, never anonymous.
    Only an annotation (django-stubs' pattern for an authenticated request)."""

    user: User


def _from_officer(request: HttpRequest) -> TypeGuard[DeskRequest]:
    return isinstance(request.user, User) and access.may_use_desk(request.user)


def desk_view[**P](
    view: Callable[Concatenate[DeskRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Login (redirect) and the press-officer permission (403) before anything else runs."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _from_officer(request):
            # The path holds ids only (never a name or an address), so it may be logged.
            logger.warning("desk: permission denied user=%s path=%s", request.user.pk, request.path)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    # The mark tests/views/test_desk_access.py looks for on every /desk/ URL; a function
    # attribute has no type, hence the ignore.
    wrapper.desk_protected = True  # type: ignore[attr-defined]
    return never_cache(wrapper)


def enquiry_for_officer(*, enquiry_id: int) -> Enquiry:
    enquiry = enquiry_detail(enquiry_id=enquiry_id)
    if enquiry is None:
        raise Http404
    return enquiry


def journalist_for_officer(*, journalist_id: int) -> Journalist:
    journalist = journalist_card(journalist_id=journalist_id)
    if journalist is None:
        raise Http404
    return journalist
