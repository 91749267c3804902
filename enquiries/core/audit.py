"""The audit trail, written in the caller's transaction. Ids and field names only."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from enquiries.models import AuditAction, AuditEvent

# The reads "who has read this journalist" answers: each names the journalist as its
# target (journalist_id), or lists them among what it showed (journalist_ids).
READ_ACTIONS = (
    AuditAction.JOURNALIST_VIEWED,
    AuditAction.ENQUIRY_VIEWED,
    AuditAction.JOURNALIST_EXPORTED,
    AuditAction.JOURNALIST_LISTED,
    AuditAction.QUEUE_LISTED,
    AuditAction.SEARCH_RESULTS,
    AuditAction.SUGGESTIONS,
    AuditAction.ADMIN_LISTED,
    AuditAction.ADMIN_VIEWED,
)


_LISTED_SQLITE = (
    "EXISTS (SELECT 1 FROM json_each(enquiries_auditevent.journalist_ids) WHERE value = %s)"
)


# Set only by the bench's unaudited twins of the queue and search (pressdesk/bench_views.py,
# mounted with PRESSDESK_BENCH_BARE_VIEW), so `make bench` can show what the audit costs.
_READS_UNRECORDED: ContextVar[bool] = ContextVar("pressdesk_reads_unrecorded", default=False)


@contextmanager
def reads_unrecorded() -> Iterator[None]:
    """For the bench only: record_reads writes nothing inside this block."""
    token = _READS_UNRECORDED.set(True)
    try:
        yield
    finally:
        _READS_UNRECORDED.reset(token)


def _actor_id(actor: AbstractBaseUser | AnonymousUser | None) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def _ids(values: Iterable[int | None]) -> list[int]:
    return sorted({value for value in values if value is not None})


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    enquiry_id: int | None = None,
    journalist_id: int | None = None,
    detail: dict[str, object] | None = None,
    enquiry_ids: Iterable[int | None] = (),
    journalist_ids: Iterable[int | None] = (),
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_id=_actor_id(actor),
        action=action,
        enquiry_id=enquiry_id,
        journalist_id=journalist_id,
        detail=detail or {},
        enquiry_ids=_ids(enquiry_ids),
        journalist_ids=_ids(journalist_ids),
    )


def record_reads(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    enquiry_ids: Iterable[int | None] = (),
    journalist_ids: Iterable[int | None] = (),
    enquiry_id: int | None = None,
    journalist_id: int | None = None,
    detail: dict[str, object] | None = None,
) -> AuditEvent | None:
    """One event for one page that showed personal data (a queue or search page, the
    suggestions, a card, an admin list), with the ids it showed: its subject in enquiry_id /
    journalist_id, the rest in the lists. None when it showed nothing. One INSERT, whatever
    the page's size.

    A page view is its own transaction, and on PostgreSQL most of its cost was waiting for
    the WAL flush at commit (~4.6 ms of ~5 ms on the bench machine): a read's event commits
    without that wait (synchronous_commit off for this transaction only; a database crash
    may lose the last fraction of a second of read events, never corrupt or reorder them).
    Inside a caller's transaction nothing changes: its own durability is not ours to relax."""
    enquiries, journalists = _ids(enquiry_ids), _ids(journalist_ids)
    named = enquiries or journalists or enquiry_id is not None or journalist_id is not None
    if not named or _READS_UNRECORDED.get():
        return None
    event = AuditEvent(
        actor_id=_actor_id(actor),
        action=action,
        enquiry_id=enquiry_id,
        journalist_id=journalist_id,
        detail=detail or {},
        enquiry_ids=enquiries,
        journalist_ids=journalists,
    )
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        event.save()
        return event
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        event.save()
    return event


def listing_journalist(journalist_id: int) -> Q:
    """Events whose journalist_ids hold the id: `@>` off the GIN index on PostgreSQL; a
    scan of json_each on SQLite (the laptop default, which has no such index)."""
    if connection.vendor == "postgresql":
        return Q(journalist_ids__contains=[journalist_id])
    # Our own table name and a parameter: nothing typed reaches the SQL text.
    return Q(RawSQL(_LISTED_SQLITE, (journalist_id,), output_field=BooleanField()))  # noqa: S611 # nosec B611


def reads_of_journalist(journalist_id: int) -> Q:
    """Every read that showed the journalist: as its target, or in its list."""
    return Q(action__in=READ_ACTIONS) & (
        Q(journalist_id=journalist_id) | listing_journalist(journalist_id)
    )


def forget_journalists(journalist_ids: Sequence[int], *, batch_size: int = 1000) -> int:
    """Take erased journalists' ids out of every event's list; how many events changed."""
    if not journalist_ids:
        return 0
    gone = set(journalist_ids)
    listing = Q()
    for journalist_id in journalist_ids:
        listing |= listing_journalist(journalist_id)
    changed = []
    for event in AuditEvent.objects.filter(listing).only("journalist_ids").iterator():
        event.journalist_ids = [pk for pk in event.journalist_ids if pk not in gone]
        changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["journalist_ids"], batch_size=batch_size)
    return len(changed)
