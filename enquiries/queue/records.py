"""One enquiry or one journalist, with what their pages show."""

import logging

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)

from enquiries.models import (
    AuditEvent,
    Enquiry,
    Journalist,
    Message,
    OutboundEmail,
)
from enquiries.queue.listing import queue_columns

logger = logging.getLogger(__name__)


def enquiry_detail(*, enquiry_id: int) -> Enquiry | None:
    """An enquiry with its people and thread (the messages in one prefetch)."""
    return (
        Enquiry.objects.select_related(
            "journalist",
            "journalist__outlet",
            "outlet",
            "topic_category",
            "assigned_to",
            "foi_routing",
        )
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=Message.objects.select_related("created_by").order_by("sent_at", "id"),
            )
        )
        .filter(pk=enquiry_id)
        .first()
    )


def enquiry_history(*, enquiry_id: int, limit: int = 200) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(enquiry_id=enquiry_id)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def journalist_card(*, journalist_id: int) -> Journalist | None:
    return Journalist.objects.select_related("outlet").filter(pk=journalist_id).first()


def journalist_enquiries(*, journalist_id: int, limit: int = 500) -> list[Enquiry]:
    queryset = Enquiry.objects.filter(journalist_id=journalist_id)
    return list(queue_columns(queryset).order_by("-received_at", "-id")[:limit])


def merge_candidates(*, journalist: Journalist, limit: int = 20) -> list[Journalist]:
    """Likely duplicates: the same last name, or the same first name with a shared outlet."""
    same = Q(last_name__iexact=journalist.last_name)
    if journalist.outlet_id:
        same |= Q(first_name__iexact=journalist.first_name, outlet_id=journalist.outlet_id)
    return list(
        Journalist.objects.filter(same)
        .exclude(pk=journalist.pk)
        .select_related("outlet")
        .order_by("last_name", "first_name", "id")[:limit]
    )


def outgoing_mail(*, enquiry_id: int) -> QuerySet[OutboundEmail]:
    """The enquiry's outgoing mails, newest first, with what an officer needs to judge them
    (state, errors, the server's reply, our Message-ID); the bodies stay in the outbox."""
    return (
        OutboundEmail.objects.filter(enquiry_id=enquiry_id)
        .defer("body")
        .order_by("-created_at", "-id")
    )
