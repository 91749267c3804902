"""The stored full-text vector of an enquiry: topic, details and its message thread.

PostgreSQL only (SQLite falls back to plain matching in the selectors). Called by every
service that changes the text, in the same transaction, so the index never lags a commit.
"""

from collections.abc import Iterable

from django.db import connection

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
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL, [ids])
