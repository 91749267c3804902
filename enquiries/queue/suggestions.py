"""Suggestions while an officer types a journalist's or an outlet's name."""

import logging

from enquiries.models import (
    Journalist,
    Outlet,
)
from enquiries.queue.searching import contact_matches

logger = logging.getLogger(__name__)


SUGGESTION_LIMIT = 8


def journalist_suggestions(*, text: str, limit: int = SUGGESTION_LIMIT) -> list[Journalist]:
    """Contacts while an officer types part of a name, an e-mail address or a phone number."""
    if len(text.strip()) < 2:
        return []
    journalist_ids, _outlets = contact_matches(text)
    return list(
        Journalist.objects.filter(pk__in=journalist_ids[:200])
        .select_related("outlet")
        .order_by("last_name", "first_name", "id")[:limit]
    )


def outlet_suggestions(*, text: str, limit: int = SUGGESTION_LIMIT) -> list[Outlet]:
    fragment = " ".join(text.split())
    if len(fragment) < 1:
        return []
    return list(Outlet.objects.filter(name__icontains=fragment).order_by("name")[:limit])
