"""The queue: filters, keyset pages and the counters on top of it."""

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone

from enquiries import access
from enquiries.core.desk_settings import office_hours
from enquiries.core.working_time import foi_alert_since, foi_forward_due
from enquiries.models import (
    Enquiry,
    TopicCategory,
)

logger = logging.getLogger(__name__)


QUEUE_PAGE_SIZE = 50


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    kind: str = ""
    channel: str = ""
    assigned_to: int | None = None
    mine_of: int | None = None  # the officer whose "mine" view this is
    unassigned: bool = False
    topic_category: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Cursor:
    """The last row of a page: the next page starts just after (received_at, id)."""

    received_at: datetime
    id: int

    def encode(self) -> str:
        micros = (self.received_at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}-{self.id}"

    @classmethod
    def decode(cls, token: str) -> "Cursor | None":
        micros, _sep, pk = token.partition("-")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 20 or len(pk) > 19:
            return None
        try:
            when = EPOCH + timedelta(microseconds=int(micros))
        except OverflowError:
            return None
        return cls(received_at=when, id=int(pk))


@dataclass
class QueuePage:
    rows: list[Enquiry]
    next_cursor: str | None
    counts: dict[str, int] = field(default_factory=dict)


def queue_columns(queryset: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    return queryset.select_related("journalist", "outlet", "topic_category", "assigned_to").only(
        "reference",
        "received_at",
        "channel",
        "kind",
        "status",
        "topic",
        "deadline",
        "opted_out",
        "anonymised_at",
        "out_of_hours",
        "journalist__first_name",
        "journalist__last_name",
        "outlet__name",
        "topic_category__name",
        "assigned_to__username",
        "assigned_to__first_name",
        "assigned_to__last_name",
    )


def filtered(filters: QueueFilters, *, now: datetime, searching: bool = False) -> QuerySet[Enquiry]:
    queryset = Enquiry.objects.all()
    if not (filters.status or filters.kind or searching):
        # Forwarded FOI requests are the post registry's now, and anonymised enquiries hold
        # nothing to work on: both leave the press queue, and are found again with the kind
        # or status filter, and by search.
        queryset = queryset.exclude(status=Enquiry.Status.ROUTED).exclude(
            anonymised_at__isnull=False
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.mine_of is not None:
        queryset = queryset.filter(assigned_to_id=filters.mine_of)
    elif filters.unassigned:
        queryset = queryset.filter(assigned_to__isnull=True)
    elif filters.assigned_to is not None:
        queryset = queryset.filter(assigned_to_id=filters.assigned_to)
    if filters.topic_category is not None:
        queryset = queryset.filter(topic_category_id=filters.topic_category)
    zone = timezone.get_current_timezone()
    if filters.received_from:
        start = datetime.combine(filters.received_from, time.min, tzinfo=zone)
        queryset = queryset.filter(received_at__gte=start)
    if filters.received_to:
        end = datetime.combine(filters.received_to + timedelta(days=1), time.min, tzinfo=zone)
        queryset = queryset.filter(received_at__lt=end)
    if filters.overdue:
        queryset = queryset.filter(status__in=Enquiry.OPEN_STATUSES, deadline__lt=now)
    return queryset


_COUNTS_SQL = """
SELECT
    count(*) FILTER (WHERE e.status = 'new'),
    count(*) FILTER (WHERE e.deadline < %s),
    (SELECT count(*) FROM enquiries_rightsrequest r WHERE r.status = 'open'),
    (SELECT count(*) FROM enquiries_rightsrequest r WHERE r.status = 'open'
        AND (r.extended_due_date < %s OR (r.extended_due_date IS NULL AND r.due_date < %s))),
    (SELECT count(*) FROM enquiries_enquiry f WHERE f.kind = 'foi'
        AND f.status NOT IN ('routed', 'closed') AND f.received_at < %s),
    (SELECT count(*) FROM enquiries_outboundemail m WHERE m.status = 'failed'),
    (SELECT count(*) FROM enquiries_outboundemail o WHERE o.status = 'held'
        AND o.created_at >= %s),
    (SELECT count(*) FROM enquiries_foirouting h WHERE h.status = 'held')
FROM enquiries_enquiry e
WHERE e.status IN ('new', 'in_progress')
"""


def queue_counts(*, now: datetime | None = None) -> dict[str, int]:
    """The desk's counters in one round trip, each over a small indexed share: new and overdue
    enquiries (the open ones), open and overdue rights requests, and FOI requests not
    forwarded within PRESSDESK_FOI_ALERT_MINUTES of office time (the same rules as
    rights_counts and unrouted_foi, which list them), failed outgoing mail waiting for an
    officer, mail held back over the public caps in the last day, and FOI requests from the
    form waiting for an officer's confirmation."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = foi_alert_since(now, office_hours())
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, [now, today, today, since, now - timedelta(days=1)])
        row = cursor.fetchone()
    names = (
        "new",
        "overdue",
        "rights_open",
        "rights_overdue",
        "foi_unrouted",
        "mail_failed",
        "mail_held",
        "foi_held",
    )
    return dict(zip(names, (int(value or 0) for value in row), strict=True))


@dataclass(frozen=True)
class FoiAlert:
    enquiry: Enquiry
    due: datetime  # forwarding due: one working day of office time after receipt
    overdue: bool


# The desk's alert names the most urgent few and links to the rest: a list of twenty is
# noise to an officer, and each line costs the page its rendering.
FOI_ALERTS_SHOWN = 5


def unrouted_foi(*, now: datetime | None = None, limit: int = FOI_ALERTS_SHOWN) -> list[FoiAlert]:
    """FOI requests not forwarded after PRESSDESK_FOI_ALERT_MINUTES of office time (nights,
    weekends and holidays do not count), with the time each is due: the desk's alert, shown
    before they are due. Closed ones were withdrawn or erased, and are left out."""
    now = now or timezone.now()
    hours = office_hours()
    rows = (
        Enquiry.objects.filter(kind=Enquiry.Kind.FOI, received_at__lt=foi_alert_since(now, hours))
        .exclude(status__in=[Enquiry.Status.ROUTED, Enquiry.Status.CLOSED])
        .select_related("foi_routing")
        .only("reference", "received_at", "foi_routing__status", "foi_routing__last_error")
        .order_by("received_at", "id")[:limit]
    )
    alerts = []
    for row in rows:
        due = foi_forward_due(row.received_at, hours)
        alerts.append(FoiAlert(enquiry=row, due=due, overdue=due <= now))
    return alerts


def desk_queue(
    *, filters: QueueFilters, after: Cursor | None = None, page_size: int = QUEUE_PAGE_SIZE
) -> QueuePage:
    """Newest first, a page at a time by (received_at, id) keyset: no OFFSET, no COUNT(*)."""
    now = timezone.now()
    rows, next_cursor = keyset_page(filtered(filters, now=now), after=after, page_size=page_size)
    return QueuePage(rows=rows, next_cursor=next_cursor, counts=queue_counts(now=now))


def keyset_page(
    queryset: QuerySet[Enquiry], *, after: Cursor | None, page_size: int
) -> tuple[list[Enquiry], str | None]:
    """One page newest first by (received_at, id), and the cursor to the next one if any:
    `received_at <= t` is the index condition; `(received_at < t OR id < n)` trims the ties."""
    if after is not None:
        queryset = queryset.filter(received_at__lte=after.received_at).filter(
            Q(received_at__lt=after.received_at) | Q(id__lt=after.id)
        )
    rows = list(queue_columns(queryset).order_by("-received_at", "-id")[: page_size + 1])
    if len(rows) <= page_size:
        return rows, None
    rows = rows[:page_size]
    return rows, Cursor(received_at=rows[-1].received_at, id=rows[-1].pk).encode()


def queue_filter_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(officers, categories) as (id, label) for the queue's filters."""
    return (
        [(user.pk, user.get_full_name() or user.get_username()) for user in access.desk_officers()],
        [(category.pk, category.name) for category in topic_categories()],
    )


def topic_categories() -> list[TopicCategory]:
    return list(TopicCategory.objects.filter(is_active=True).order_by("name"))
