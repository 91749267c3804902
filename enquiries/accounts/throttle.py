"""Throttled guessing on every login form (django-axes): the callables its settings name.

Axes counts failures per account and per client address (AXES_LOCKOUT_PARAMETERS). Past
the limit, the account or client is refused for a cool-off that doubles with every further
limit's worth of failures while the guessing goes on, and is forgotten once it has passed:
the real user is never locked out for good, and an administrator can unlock sooner by
deleting the access attempt in admin.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from enquiries.intake.ratelimit import client_address

# The cool-off never grows past a day.
_LONGEST = timedelta(days=1)


def client_ip(request: HttpRequest) -> str:
    """The address the public form's limits use too (a trusted proxy's header, or the peer)."""
    return client_address(request)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """PRESSDESK_LOGIN_COOLOFF_SECONDS, doubled for each further limit's worth of failures
    the account or the client has piled up in attempts that have not expired yet."""
    base = timedelta(seconds=settings.PRESSDESK_LOGIN_COOLOFF_SECONDS)
    if request is None:
        return base
    # The login form's field is allauth's "login" (the admin has no password form of its own).
    username = request.POST.get("login", "") if request.method == "POST" else ""
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    failures = (
        AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address))
        .filter(Q(expiration__isnull=True) | Q(expiration__expires_at__gt=timezone.now()))
        .aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )
    doublings = max(0, failures // settings.AXES_FAILURE_LIMIT - 1)
    return min(base * 2 ** min(doublings, 16), _LONGEST)
