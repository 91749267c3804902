"""Reads: each query decides its joins and columns here, once."""

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from redis.exceptions import RedisError

from enquiries import access
from enquiries.models import (
    AuditEvent,
    DeskSettings,
    Enquiry,
    Journalist,
    Message,
    Outlet,
    RightsRequest,
    TopicCategory,
)
from enquiries.normalise import phone_digits
from enquiries.services.desk_settings import CACHE_KEY

SETTINGS_CACHE_SECONDS = 300
logger = logging.getLogger(__name__)


def desk_settings() -> DeskSettings:
    """The settings row, from the shared cache; at most one query per five minutes."""
    try:
        row = cache.get(CACHE_KEY)
    except RedisError:
        logger.warning("cache unavailable; reading desk settings from the database")
        return DeskSettings.objects.get(pk=DeskSettings.SINGLETON_ID)
    if row is None:
        row = DeskSettings.objects.get(pk=DeskSettings.SINGLETON_ID)
        try:
            cache.set(CACHE_KEY, row, SETTINGS_CACHE_SECONDS)
        except RedisError:
            logger.warning("cache unavailable; desk settings not cached")
    return row


# --- The desk -------------------------------------------------------------------------------

QUEUE_PAGE_SIZE = 50
SEARCH_LIMIT = 50
# Ranking reads every candidate's vector: rank the newest matches, not a million of them.
SEARCH_CANDIDATES = 500
SUGGESTION_LIMIT = 8
# ts_headline wraps each match in these; they cannot occur in stored text (control
# characters are refused on input), so the template can escape everything else safely.
MARK_START = "\x02"
MARK_STOP = "\x03"
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


def _queue_columns(queryset: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    return queryset.select_related("journalist", "outlet", "topic_category", "assigned_to").only(
        "reference",
        "received_at",
        "channel",
        "kind",
        "status",
        "topic",
        "deadline",
        "opted_out",
        "journalist__first_name",
        "journalist__last_name",
        "outlet__name",
        "topic_category__name",
        "assigned_to__username",
        "assigned_to__first_name",
        "assigned_to__last_name",
    )


def _filtered(filters: QueueFilters, *, now: datetime) -> QuerySet[Enquiry]:
    queryset = Enquiry.objects.all()
    if not (filters.status or filters.kind):
        # Forwarded FOI requests are the post registry's now: they leave the press queue,
        # and are found again with the kind or status filter.
        queryset = queryset.exclude(status=Enquiry.Status.ROUTED)
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
        AND f.status NOT IN ('routed', 'closed') AND f.received_at < %s)
FROM enquiries_enquiry e
WHERE e.status IN ('new', 'in_progress')
"""


def queue_counts(*, now: datetime | None = None) -> dict[str, int]:
    """The desk's counters in one round trip, each over a small indexed share: new and overdue
    enquiries (the open ones), open and overdue rights requests, and FOI requests not
    forwarded within PRESSDESK_FOI_ALERT_MINUTES (the same rules as rights_counts and
    unrouted_foi, which list them)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = now - timedelta(minutes=settings.PRESSDESK_FOI_ALERT_MINUTES)
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, [now, today, today, since])
        row = cursor.fetchone()
    names = ("new", "overdue", "rights_open", "rights_overdue", "foi_unrouted")
    return dict(zip(names, (int(value or 0) for value in row), strict=True))


def unrouted_foi(*, now: datetime | None = None, limit: int = 20) -> list[Enquiry]:
    """FOI requests not forwarded an hour (PRESSDESK_FOI_ALERT_MINUTES) after they reached
    the agency: the desk's alert. Closed ones were withdrawn or erased, and are left out."""
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.PRESSDESK_FOI_ALERT_MINUTES)
    return list(
        Enquiry.objects.filter(kind=Enquiry.Kind.FOI, received_at__lt=since)
        .exclude(status__in=[Enquiry.Status.ROUTED, Enquiry.Status.CLOSED])
        .select_related("foi_routing")
        .only("reference", "received_at", "foi_routing__status", "foi_routing__last_error")
        .order_by("received_at", "id")[:limit]
    )


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
        request.is_overdue = request.due < today  # type: ignore[attr-defined]
    closed = list(
        RightsRequest.objects.exclude(status=RightsRequest.Status.OPEN)
        .select_related("journalist", "created_by")
        .order_by("-completed_at")[:50]
    )
    return open_requests + closed


def desk_queue(
    *, filters: QueueFilters, after: Cursor | None = None, page_size: int = QUEUE_PAGE_SIZE
) -> QueuePage:
    """Newest first, a page at a time by (received_at, id) keyset: no OFFSET, no COUNT(*).

    `received_at <= t` is the index condition; `(received_at < t OR id < n)` trims the ties.
    """
    now = timezone.now()
    queryset = _filtered(filters, now=now)
    if after is not None:
        queryset = queryset.filter(received_at__lte=after.received_at).filter(
            Q(received_at__lt=after.received_at) | Q(id__lt=after.id)
        )
    rows = list(_queue_columns(queryset).order_by("-received_at", "-id")[: page_size + 1])
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        next_cursor = Cursor(received_at=rows[-1].received_at, id=rows[-1].pk).encode()
    return QueuePage(rows=rows, next_cursor=next_cursor, counts=queue_counts(now=now))


@dataclass
class SearchHit:
    """Texts carry MARK_START/MARK_STOP around each match: escape them, then mark up."""

    enquiry: Enquiry
    headline: str
    journalist_name: str = ""
    outlet_name: str = ""


def _mark(text: str, fragment: str) -> str:
    """`text` with the first case-insensitive occurrence of `fragment` marked."""
    index = text.lower().find(fragment.lower()) if fragment else -1
    if index < 0:
        return text
    end = index + len(fragment)
    return text[:index] + MARK_START + text[index:end] + MARK_STOP + text[end:]


def _hit(enquiry: Enquiry, headline: str, text: str) -> SearchHit:
    fragment = " ".join(text.split())
    name = enquiry.journalist.full_name if enquiry.journalist else ""
    marked = _mark(name, fragment)
    if marked == name and " " in fragment:
        first, _space, last = fragment.partition(" ")
        marked = _mark(_mark(name, first), last)
    return SearchHit(
        enquiry=enquiry,
        headline=headline,
        journalist_name=marked,
        outlet_name=_mark(enquiry.outlet.name if enquiry.outlet else "", fragment),
    )


def _contact_matches(text: str) -> tuple[list[int], list[int]]:
    """Ids of journalists and outlets matching part of a name, e-mail or phone (trigram GIN)."""
    fragment = " ".join(text.split())
    journalists = Q(first_name__icontains=fragment) | Q(last_name__icontains=fragment)
    journalists |= Q(email__icontains=fragment)
    first, _space, last = fragment.partition(" ")
    if last:
        journalists |= Q(first_name__icontains=first, last_name__icontains=last)
    digits = phone_digits(fragment)
    if len(digits) >= 4 and len(digits) * 2 >= len(fragment.replace(" ", "")):
        journalists |= Q(phone__contains=digits) | Q(mobile__contains=digits)
    journalist_ids = list(Journalist.objects.filter(journalists).values_list("id", flat=True)[:500])
    outlet_ids = list(
        Outlet.objects.filter(name__icontains=fragment).values_list("id", flat=True)[:50]
    )
    return journalist_ids, outlet_ids


def _highlight_plain(text: str, words: list[str]) -> str:
    lowered = text.lower()
    for word in words:
        index = lowered.find(word.lower())
        if index >= 0:
            start = max(0, index - 60)
            snippet = text[start : index + len(word) + 100]
            offset = index - start
            return (
                ("…" if start else "")
                + snippet[:offset]
                + MARK_START
                + snippet[offset : offset + len(word)]
                + MARK_STOP
                + snippet[offset + len(word) :]
            )
    return text[:160]


def search_plain(*, text: str, filters: QueueFilters, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
    """The SQLite fallback (and any database): substring matching, newest first."""
    words = text.split()
    if not words:
        return []
    journalist_ids, outlet_ids = _contact_matches(text)
    matches = Q(journalist_id__in=journalist_ids) | Q(outlet_id__in=outlet_ids)
    matches |= Q(reference=text.strip().upper())
    for word in words:
        matches |= Q(topic__icontains=word) | Q(details__icontains=word)
        matches |= Exists(
            Message.objects.filter(enquiry_id=OuterRef("pk"), body__icontains=word)
        ) | Exists(Message.objects.filter(enquiry_id=OuterRef("pk"), subject__icontains=word))
    queryset = _queue_columns(_filtered(filters, now=timezone.now()).filter(matches))
    rows = list(queryset.order_by("-received_at", "-id")[:limit])
    return [_hit(row, _highlight_plain(row.topic, words), text) for row in rows]


def search_postgres(
    *,
    text: str,
    filters: QueueFilters,
    limit: int = SEARCH_LIMIT,
    candidates: int = SEARCH_CANDIDATES,
) -> list[SearchHit]:
    """Full text (Norwegian stems, and the simple configuration for names and codes) over the
    stored vector, or contacts found by trigram index, or the exact reference; the newest
    SEARCH_CANDIDATES matches ranked, the newest first among equals."""
    if not text.split():
        return []
    journalist_ids, outlet_ids = _contact_matches(text)
    query = SearchQuery(text, config="norwegian", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    matches = Q(search_vector=query) | Q(reference=text.strip().upper())
    if journalist_ids:
        matches |= Q(journalist_id__in=journalist_ids)
    if outlet_ids:
        matches |= Q(outlet_id__in=outlet_ids)
    contact_bonus = Case(
        When(Q(journalist_id__in=journalist_ids or [0]), then=Value(1.0)),
        When(Q(outlet_id__in=outlet_ids or [0]), then=Value(0.5)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    # The newest matches come off the queue index (a rare word goes through the GIN index
    # instead); only they are ranked, in the same query.
    newest = (
        _filtered(filters, now=timezone.now())
        .filter(matches)
        .order_by("-received_at", "-id")
        .values("id")[:candidates]
    )
    queryset = (
        _queue_columns(Enquiry.objects.filter(id__in=newest))
        .annotate(rank=SearchRank(F("search_vector"), query) + contact_bonus)
        .annotate(
            headline=SearchHeadline(
                Concat("topic", Value(" — "), "details", output_field=TextField()),
                query,
                config="norwegian",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=30,
                min_words=12,
                highlight_all=False,
            )
        )
        .order_by("-rank", "-received_at", "-id")
    )
    rows = list(queryset[:limit])
    return [_hit(row, row.headline, text) for row in rows]


def search_enquiries(
    *, text: str, filters: QueueFilters, limit: int = SEARCH_LIMIT
) -> list[SearchHit]:
    if connection.vendor == "postgresql":
        return search_postgres(text=text, filters=filters, limit=limit)
    return search_plain(text=text, filters=filters, limit=limit)


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
    return list(_queue_columns(queryset).order_by("-received_at", "-id")[:limit])


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


def journalist_suggestions(*, text: str, limit: int = SUGGESTION_LIMIT) -> list[Journalist]:
    """Contacts while an officer types part of a name, an e-mail address or a phone number."""
    if len(text.strip()) < 2:
        return []
    journalist_ids, _outlets = _contact_matches(text)
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


def queue_filter_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(officers, categories) as (id, label) for the queue's filters."""
    return (
        [(user.pk, user.get_full_name() or user.get_username()) for user in access.desk_officers()],
        [(category.pk, category.name) for category in topic_categories()],
    )


def topic_categories() -> list[TopicCategory]:
    return list(TopicCategory.objects.filter(is_active=True).order_by("name"))
