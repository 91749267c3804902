"""A read's event is its own transaction and commits without waiting for the WAL flush
(PostgreSQL's synchronous_commit off, for that transaction only); inside a caller's
transaction the caller's durability is left alone."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from enquiries.core import audit
from enquiries.models import AuditAction, AuditEvent
from tests import makers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _read(officer):  # type: ignore[no-untyped-def]
    return audit.record_reads(
        actor=officer, action=AuditAction.QUEUE_LISTED, enquiry_ids=[7, 3], journalist_ids=[5]
    )


def test_a_page_views_event_commits_without_waiting_for_the_flush():
    officer = makers.make_officer()
    with CaptureQueriesContext(connection) as captured:
        event = _read(officer)
    statements = [query["sql"] for query in captured.captured_queries]
    inserts = [i for i, sql in enumerate(statements) if sql.startswith("INSERT")]
    assert len(inserts) == 1
    assert statements.index("SET LOCAL synchronous_commit TO OFF") < inserts[0]
    # Committed (autocommit again, the row there), and the setting back to the server's.
    assert not connection.in_atomic_block
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)


def test_inside_a_callers_transaction_the_setting_is_not_touched():
    officer = makers.make_officer()
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        _read(officer)
    assert not any("synchronous_commit" in query["sql"] for query in captured.captured_queries)
