"""The officer's own account on the desk: log out everywhere."""

from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from enquiries.accounts import sessions
from enquiries.views.guards import DeskRequest, desk_view


@desk_view
@require_POST
def log_out_everywhere(request: DeskRequest) -> HttpResponse:
    sessions.revoke_sessions(user_id=request.user.pk, by=request.user)
    logout(request)
    return redirect("login")


def not_offered(request: HttpRequest) -> HttpResponse:
    """An allauth page the desk does not offer (sign-up, e-mail addresses, password reset)."""
    raise Http404
