"""`Enquiry.first_reply_at` is kept by the database (migration 0027): triggers on the message
table, so no code path that adds, edits or deletes a message can forget it.

On SQLite (the laptop default) a migration that changes the message table rebuilds it and
drops its triggers; they are put back after every `migrate` (post_migrate), and the column
is recomputed then, in case messages changed while they were missing. PostgreSQL keeps its
triggers through ALTER TABLE.
"""

from typing import Any

from django.db import connections

# The first outbound message's time, for the enquiry row being updated.
FIRST_REPLY = (
    "(SELECT min(m.sent_at) FROM enquiries_message m"
    " WHERE m.enquiry_id = enquiries_enquiry.id AND m.direction = 'out')"
)
_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS pressdesk_first_reply_NAME AFTER EVENT ON enquiries_message"
    " BEGIN UPDATE enquiries_enquiry SET first_reply_at = FIRST_REPLY WHERE WHICH; END"
)
SQLITE_TRIGGERS = [
    _TRIGGER.replace("NAME", event.lower())
    .replace("EVENT", event)
    .replace("FIRST_REPLY", FIRST_REPLY)
    .replace("WHICH", which)
    for event, which in (
        ("INSERT", "id = NEW.enquiry_id"),
        ("DELETE", "id = OLD.enquiry_id"),
        ("UPDATE", "id IN (OLD.enquiry_id, NEW.enquiry_id)"),
    )
]
RECOMPUTE = (
    "UPDATE enquiries_enquiry SET first_reply_at = FIRST_REPLY"  # nosec B608: constant SQL
    " WHERE first_reply_at IS NOT FIRST_REPLY"
).replace("FIRST_REPLY", FIRST_REPLY)


def ensure_triggers(*, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: on SQLite, the message triggers exist and the column is right."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "enquiries_message" not in tables or "enquiries_enquiry" not in tables:
            return
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, "enquiries_enquiry")
        ]
        if "first_reply_at" not in columns:
            return  # migrated back before 0027
        for sql in SQLITE_TRIGGERS:
            cursor.execute(sql)
        cursor.execute(RECOMPUTE)
