"""Enquiry.first_reply_at is kept by the database on both configurations: triggers on the
message table, put back on SQLite after a migration rebuilds it (enquiries/core/first_reply)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from enquiries.handling import enquiries as handling
from tests import makers

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=OSLO)


def test_first_reply_is_kept_by_the_database(officer) -> None:  # type: ignore[no-untyped-def]
    enquiry = makers.make_enquiry(received_at=at(3, 2, 9))
    assert enquiry.first_reply_at is None
    handling.add_message(
        enquiry_id=enquiry.pk, by=officer, direction="in", body="Spørsmål", sent_at=at(3, 2, 9, 5)
    )
    enquiry.refresh_from_db()
    assert enquiry.first_reply_at is None  # only what went out counts
    handling.add_message(
        enquiry_id=enquiry.pk, by=officer, direction="out", body="Svar", sent_at=at(3, 2, 11)
    )
    enquiry.refresh_from_db()
    assert enquiry.first_reply_at == at(3, 2, 11)
    handling.add_message(
        enquiry_id=enquiry.pk, by=officer, direction="out", body="Tidligere", sent_at=at(3, 2, 10)
    )
    enquiry.refresh_from_db()
    assert enquiry.first_reply_at == at(3, 2, 10)  # an earlier reply logged later moves it
