"""The stored full-text vector of an enquiry: topic, details and its message thread.

PostgreSQL only (SQLite falls back to plain matching in the selectors). Called by every
service that changes the text, in the same transaction, so the index never lags a commit.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

# Within `batched()`: the enquiries whose vector is refreshed once, at the end of the block.
_pending: ContextVar[set[int] | None] = ContextVar("search_index_pending", default=None)

_REFRESH_SQL = """
UPDATE enquiries_enquiry AS e SET search_vector =
    setweight(to_tsvector('norwegian', e.topic), 'A')
    || setweight(to_tsvector('simple', e.topic), 'A')
    || setweight(to_tsvector('norwegian', e.details), 'B')
    || setweight(to_tsvector('norwegian', coalesce((
        SELECT string_agg(m.subject || ' ' || m.body, ' ' ORDER BY m.sent_at, m.id)
        FROM enquiries_message AS m WHERE m.enquiry_id = e.id), '')), 'C')
WHERE e.id = ANY(%s)
"""


def refresh(*, enquiry_ids: Iterable[int]) -> None:
    ids = list(enquiry_ids)
    if not ids or connection.vendor != "postgresql":
        return
    pending = _pending.get()
    if pending is not None:
        pending.update(ids)
        return
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL, [ids])


@contextmanager
def batched() -> Iterator[None]:
    """One refresh for everything the block changed (a new enquiry from a mail and its first
    message: one statement, not two). In one transaction with the block, so the index still
    commits with the text; nothing is refreshed if the block raises."""
    if _pending.get() is not None:  # already inside one: the outer block refreshes
        yield
        return
    pending: set[int] = set()
    with transaction.atomic(savepoint=False):
        token = _pending.set(pending)
        try:
            yield
        finally:
            _pending.reset(token)
        refresh(enquiry_ids=sorted(pending))
