"""Helpers the desk views share."""

from typing import Any

from django.http import HttpRequest

from enquiries.forms.desk import (
    ASSIGNED_MINE,
    ASSIGNED_NONE,
    QueueFilterForm,
)
from enquiries.queue.listing import QueueFilters, queue_filter_choices


def unless_same_minute(new: Any, old: Any) -> Any:
    """A datetime-local field shows minutes only: an unchanged one keeps its seconds."""
    if new is not None and old is not None and new == old.replace(second=0, microsecond=0):
        return old
    return new


def queue_filters(request: HttpRequest, data: Any) -> tuple[QueueFilterForm, QueueFilters]:
    officers, categories = queue_filter_choices()
    form = QueueFilterForm(data, officers=officers, categories=categories)
    form.is_valid()  # invalid values are ignored, one by one, never a 500
    clean = form.cleaned_data
    assigned = clean.get("assigned") or ""
    filters = QueueFilters(
        status=clean.get("status") or "",
        kind=clean.get("kind") or "",
        channel=clean.get("channel") or "",
        mine_of=request.user.pk if assigned == ASSIGNED_MINE else None,
        unassigned=assigned == ASSIGNED_NONE,
        assigned_to=int(assigned) if assigned.isdigit() else None,
        topic_category=clean.get("category"),
        received_from=clean.get("received_from"),
        received_to=clean.get("received_to"),
        overdue=bool(clean.get("overdue")),
    )
    return form, filters
