"""One run at a time, across processes and machines: a PostgreSQL advisory lock held by the
session (released by the server if the process dies); on SQLite (a laptop) the cache stands
in, with a timeout so a dead process's lock runs out."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection


@contextmanager
def only_one(*, key: int, name: str, timeout: int = 3600) -> Iterator[bool]:
    """Yields True if this run holds the lock, False if another run has it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    held = bool(cache.add(f"lock:{name}", 1, timeout=timeout))
    try:
        yield held
    finally:
        if held:
            cache.delete(f"lock:{name}")
