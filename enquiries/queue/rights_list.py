"""Rights requests as the desk lists and counts them."""

import logging
from datetime import date

from django.db.models import (
    Count,
    Q,
)
from django.db.models.functions import Coalesce

from enquiries.models import (
    RightsRequest,
)

logger = logging.getLogger(__name__)


def _rights_overdue(today: date) -> Q:
    return Q(extended_due_date__lt=today) | Q(extended_due_date__isnull=True, due_date__lt=today)


def rights_counts(*, today: date) -> dict[str, int]:
    return RightsRequest.objects.filter(status=RightsRequest.Status.OPEN).aggregate(
        rights_open=Count("id"), rights_overdue=Count("id", filter=_rights_overdue(today))
    )


def rights_requests(*, today: date, limit: int = 200) -> list[RightsRequest]:
    """Open requests first, the most urgent on top, then the latest closed ones."""
    open_requests = list(
        RightsRequest.objects.filter(status=RightsRequest.Status.OPEN)
        .select_related("journalist", "created_by")
        .annotate(due=Coalesce("extended_due_date", "due_date"))
        .order_by("due", "id")[:limit]
    )
    for request in open_requests:
        # A flag for the template, set on the row; the model does not declare it.
        request.is_overdue = request.due < today  # type: ignore[attr-defined]
    closed = list(
        RightsRequest.objects.exclude(status=RightsRequest.Status.OPEN)
        .select_related("journalist", "created_by")
        .order_by("-completed_at")[:50]
    )
    return open_requests + closed
