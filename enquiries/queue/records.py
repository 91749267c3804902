"""One enquiry or one journalist, with what their pages show."""

import logging
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from enquiries.models import (
    Attachment,
    AuditAction,
    AuditEvent,
    Enquiry,
    Journalist,
    Message,
    OutboundEmail,
)
from enquiries.queue.listing import Cursor, QueuePage, keyset_page

logger = logging.getLogger(__name__)


# The thread shows its newest messages; "show all" (?thread=all) shows the rest.
THREAD_SHOWN = 30


# The enquiry page's history: the newest changes (views stay in the audit table only).
HISTORY_SHOWN = 50


# The journalist card lists their enquiries a page at a time (keyset, like the queue).
CARD_PAGE_SIZE = 50


def enquiry_detail(*, enquiry_id: int) -> Enquiry | None:
    """An enquiry with its people and FOI routing, in one query (the thread is apart)."""
    return (
        Enquiry.objects.select_related(
            "journalist",
            "journalist__outlet",
            "outlet",
            "topic_category",
            "assigned_to",
            "foi_routing",
        )
        .filter(pk=enquiry_id)
        .first()
    )


@dataclass
class Thread:
    messages: list[Message]
    earlier: bool  # older messages are left out (shown with "show all")


def enquiry_thread(*, enquiry_id: int, shown: int | None = THREAD_SHOWN) -> Thread:
    """The newest `shown` messages (all with shown=None), oldest first, in one query off
    message_thread_idx, with the columns the page shows and who added each."""
    queryset = (
        Message.objects.filter(enquiry_id=enquiry_id)
        .select_related("created_by", "outbound")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.listed()))
        .only(
            "enquiry_id",
            "direction",
            "automatic",
            "sent_at",
            "from_address",
            "to_address",
            "subject",
            "body",
            "message_id",
            "created_by__username",
            "created_by__first_name",
            "created_by__last_name",
            # A mail we sent: its delivery state, for the thread.
            "outbound__status",
            "outbound__attempts",
            "outbound__last_error",
            "outbound__sent_at",
            "outbound__smtp_stage",
        )
    )
    if shown is None:
        return Thread(messages=list(queryset.order_by("sent_at", "id")), earlier=False)
    newest = list(queryset.order_by("-sent_at", "-id")[: shown + 1])
    earlier = len(newest) > shown
    return Thread(messages=newest[:shown][::-1], earlier=earlier)


def enquiry_history(*, enquiry_id: int, limit: int = HISTORY_SHOWN) -> list[AuditEvent]:
    """The newest changes to the enquiry, off the partial index audit_enquiry_changes_idx:
    "viewed" events are not shown, so the page costs the same however often it is opened."""
    return list(
        AuditEvent.objects.filter(enquiry_id=enquiry_id)
        .exclude(action=AuditAction.ENQUIRY_VIEWED)
        .select_related("actor")
        .only(
            "at",
            "action",
            "detail",
            "actor__username",
            "actor__first_name",
            "actor__last_name",
        )
        .order_by("-at", "-id")[:limit]
    )


def enquiry_views(*, enquiry_id: int, limit: int = HISTORY_SHOWN) -> list[AuditEvent]:
    """Who opened the enquiry and when, newest first (the page's own "Views" tab), off
    audit_enquiry_idx."""
    return list(
        AuditEvent.objects.filter(enquiry_id=enquiry_id, action=AuditAction.ENQUIRY_VIEWED)
        .select_related("actor")
        .only("at", "actor__username", "actor__first_name", "actor__last_name")
        .order_by("-at", "-id")[:limit]
    )


def journalist_card(*, journalist_id: int) -> Journalist | None:
    return Journalist.objects.select_related("outlet").filter(pk=journalist_id).first()


def journalist_enquiries(
    *, journalist_id: int, after: Cursor | None = None, page_size: int = CARD_PAGE_SIZE
) -> QueuePage:
    """Their enquiries newest first, a page at a time by (received_at, id) keyset off
    enquiry_journalist_idx."""
    rows, next_cursor = keyset_page(
        Enquiry.objects.filter(journalist_id=journalist_id), after=after, page_size=page_size
    )
    return QueuePage(rows=rows, next_cursor=next_cursor)


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


def enquiry_mail(*, enquiry_id: int, mail_id: int) -> OutboundEmail | None:
    """One mail of the enquiry: its own, or one in its thread that is kept apart from it (the
    acknowledgement of an FOI request)."""
    return (
        OutboundEmail.objects.filter(
            Q(enquiry_id=enquiry_id) | Q(thread_message__enquiry_id=enquiry_id), pk=mail_id
        )
        .defer("body")
        .first()
    )
