"""Requests for access from the public form cannot flood the post registry (issue #16).

Over any cap a request is still received and kept, but its forwarding waits for an officer's
confirmation on the desk (FoiRouting "held"): per client address an hour (counted like the
form's rate limit), per requester address a day, and from the form in all an hour (counted in
the database, so every web process and machine sees the same number).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from enquiries.core.normalise import normalise_email
from enquiries.intake import ratelimit
from enquiries.models import Enquiry

logger = logging.getLogger(__name__)


def over_caps(*, client: str, email: str) -> bool:
    """Count this request; True if its forwarding must wait for an officer."""
    now = timezone.now()
    from_form = Enquiry.objects.filter(kind=Enquiry.Kind.FOI, channel=Enquiry.Channel.WEB_FORM)
    per_client = _count_client(client)
    if per_client > settings.PRESSDESK_FOI_PER_CLIENT_PER_HOUR:
        return _held("client")
    address = normalise_email(email) if email else ""
    if address and (
        from_form.filter(
            journalist__email=address, received_at__gte=now - timedelta(days=1)
        ).count()
        >= settings.PRESSDESK_FOI_PER_ADDRESS_PER_DAY
    ):
        return _held("address")
    if (
        from_form.filter(received_at__gte=now - timedelta(hours=1)).count()
        >= settings.PRESSDESK_FOI_PER_HOUR
    ):
        return _held("all")
    return False


def _count_client(client: str) -> int:
    hour = int(time.time() // 3600)
    try:
        (count,) = ratelimit.window_counter().count(
            windows=[(f"foi-rate:h:{ratelimit.client_key(client)}:{hour}", 3600)]
        )
    except ratelimit.CounterUnavailable:
        logger.warning("FOI cap per client not counted: counter unavailable")
        return 0
    return count


def _held(cap: str) -> bool:
    logger.warning("FOI request from the form held for an officer: over the %s cap", cap)
    return True
