"""The retention purge: boundaries in Europe/Oslo, tallies that stay exact, one run at a time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from enquiries.core.errors import PurgeAlreadyRunning
from enquiries.handling import enquiries as handling
from enquiries.models import (
    AuditEvent,
    DeskSettings,
    Enquiry,
    Journalist,
    Message,
    MonthlyTally,
    PurgeRun,
    SelfServiceLink,
    TopicCategory,
)
from enquiries.privacy import links as self_service
from enquiries.retention import purge as retention
from tests import makers
from tests.tasks.helpers import worker_database_url

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def _received(at: datetime, **extra: object) -> Enquiry:
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        return makers.make_enquiry(received_at=at, **extra)


def _purge_on(day: datetime, **options: object) -> retention.PurgeResult:
    with time_machine.travel(day, tick=False):
        return retention.purge_expired(**options)


@pytest.mark.parametrize(
    ("received", "purge_day", "kept"),
    [
        # Three years: kept through the anniversary, gone the day after.
        (oslo(2023, 11, 22, 23, 59), oslo(2026, 11, 23, 3, 30), False),
        (oslo(2023, 11, 23, 0, 0), oslo(2026, 11, 23, 3, 30), True),
        (oslo(2023, 11, 22, 12, 0), oslo(2026, 11, 22, 3, 30), True),
        # Across the change to summer time (26 March 2023) and back (29 October 2023).
        (oslo(2023, 3, 25, 23, 30), oslo(2026, 3, 26, 3, 30), False),
        (oslo(2023, 3, 26, 0, 30), oslo(2026, 3, 26, 3, 30), True),
        (oslo(2023, 10, 28, 23, 30), oslo(2026, 10, 29, 3, 30), False),
        (oslo(2023, 10, 29, 2, 30), oslo(2026, 10, 29, 3, 30), True),
        # 29 February: its third anniversary is 28 February, so it goes on 1 March.
        (oslo(2024, 2, 29, 10, 0), oslo(2027, 2, 28, 3, 30), True),
        (oslo(2024, 2, 29, 10, 0), oslo(2027, 3, 1, 3, 30), False),
        (oslo(2024, 2, 28, 10, 0), oslo(2027, 2, 28, 3, 30), True),
    ],
)
def test_the_boundary_is_a_calendar_day_in_oslo(received, purge_day, kept):
    enquiry = _received(received)
    _purge_on(purge_day)
    assert Enquiry.objects.filter(pk=enquiry.pk).exists() is kept


def test_a_run_just_after_midnight_utc_uses_the_oslo_date():
    # 23:30 UTC on 22 November is already 23 November in Oslo.
    enquiry = _received(oslo(2023, 11, 22, 12, 0))
    _purge_on(datetime(2026, 11, 22, 23, 30, tzinfo=timezone.UTC))
    assert not Enquiry.objects.filter(pk=enquiry.pk).exists()


def test_expired_enquiries_go_with_their_messages_and_orphaned_contacts():
    journalist = makers.make_journalist()
    old = _received(oslo(2022, 5, 10, 9, 0), journalist=journalist)
    handling.add_message(enquiry_id=old.pk, by=None, direction="note", body="Notat")
    kept_contact = makers.make_journalist(first_name="Kari", email="kari@nrk.no", mobile="")
    recent = makers.make_enquiry(journalist=kept_contact)
    result = retention.purge_expired()
    assert result.counts["enquiries"] == 1
    assert result.counts["messages"] == 1
    assert not Message.objects.exists()
    assert not Journalist.objects.filter(pk=journalist.pk).exists()
    assert Enquiry.objects.filter(pk=recent.pk).exists()
    assert Journalist.objects.filter(pk=kept_contact.pk).exists()


def test_a_contact_registered_today_without_enquiries_stays():
    fresh = makers.make_journalist()
    ancient = makers.make_journalist(first_name="Per", email="per@vg.no", mobile="")
    Journalist.objects.filter(pk=ancient.pk).update(
        created_at=timezone.now() - timedelta(days=4 * 365)
    )
    retention.purge_expired()
    assert Journalist.objects.filter(pk=fresh.pk).exists()
    assert not Journalist.objects.filter(pk=ancient.pk).exists()


def test_counts_are_folded_into_monthly_tallies_once():
    covid = TopicCategory.objects.create(name="Covid-19")
    outlet = makers.make_outlet(name="NRK", kind="broadcaster")
    journalist = makers.make_journalist(outlet=outlet)
    for day in (3, 17):
        _received(oslo(2022, 3, day, 10, 0), journalist=journalist, topic_category=covid)
    _received(oslo(2022, 3, 31, 23, 30), channel="email")  # still March in Oslo
    _received(oslo(2022, 4, 1, 0, 30), channel="email")
    retention.purge_expired()
    retention.purge_expired()  # nothing left: nothing counted twice
    tallies = {
        (t.month, t.channel, t.kind, t.topic_category, t.outlet_kind): t.count
        for t in MonthlyTally.objects.all()
    }
    assert tallies == {
        (date(2022, 3, 1), "phone", "press", "Covid-19", "broadcaster"): 2,
        (date(2022, 3, 1), "email", "press", "", ""): 1,
        (date(2022, 4, 1), "email", "press", "", ""): 1,
    }
    _received(
        oslo(2022, 3, 20, 10, 0),
        journalist=makers.make_journalist(email="x@nrk.no", mobile="", outlet=outlet),
        topic_category=covid,
    )
    retention.purge_expired()
    assert MonthlyTally.objects.get(month=date(2022, 3, 1), channel="phone").count == 3


def test_a_dry_run_counts_and_changes_nothing():
    _received(oslo(2022, 1, 5, 10, 0))
    result = retention.purge_expired(dry_run=True)
    assert result.counts["enquiries"] == 1
    assert Enquiry.objects.count() == 1
    assert not MonthlyTally.objects.exists()
    assert PurgeRun.objects.get().dry_run


def test_a_shorter_period_per_channel():
    DeskSettings.objects.update(channel_retention_months={"social": 6})
    social = makers.make_enquiry(channel="social", received_at=timezone.now() - timedelta(days=200))
    phone = makers.make_enquiry(channel="phone", received_at=timezone.now() - timedelta(days=200))
    retention.purge_expired()
    assert not Enquiry.objects.filter(pk=social.pk).exists()
    assert Enquiry.objects.filter(pk=phone.pk).exists()


def test_old_audit_events_and_spent_links_go():
    AuditEvent.objects.create(action="enquiry.viewed", at=timezone.now() - timedelta(days=4 * 365))
    recent = AuditEvent.objects.create(action="enquiry.viewed")
    _, token = self_service.issue_link(purpose="erasure", email="ola@vg.no")
    self_service.redeem_link(signed_token=token, purpose="erasure", email="ola@vg.no")
    live, _ = self_service.issue_link(purpose="access", email="kari@nrk.no")
    result = retention.purge_expired()
    assert result.counts["audit_events"] == 1
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert list(SelfServiceLink.objects.all()) == [live]


def _another_session() -> psycopg.Connection:
    """A second PostgreSQL session on the test database, as another purge would have."""
    return psycopg.connect(worker_database_url(), autocommit=True)


@pytest.mark.postgres
def test_a_second_purge_while_one_holds_the_lock_does_nothing():
    _received(oslo(2022, 1, 5, 10, 0))
    other = _another_session()
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [retention._LOCK_KEY])
        with pytest.raises(PurgeAlreadyRunning):
            retention.purge_expired()
        assert Enquiry.objects.count() == 1
    finally:
        # Released by hand: a closed session's lock is freed a moment later, not at once.
        # (A killed process losing its lock is proven in tests/tasks/test_purge_processes.py.)
        other.execute("SELECT pg_advisory_unlock(%s)", [retention._LOCK_KEY])
        other.close()
    assert retention.purge_expired().counts["enquiries"] == 1


def test_healthz_reports_a_stale_purge():
    client = Client()
    assert client.get("/healthz").json()["purge"] == "not yet run"
    retention.purge_expired()
    assert client.get("/healthz").json()["purge"] == "ok"
    PurgeRun.objects.update(started_at=timezone.now() - timedelta(hours=49))
    response = client.get("/healthz")
    assert response.json()["purge"] == "stale"
    assert response.status_code == 200  # reported, not a reason to pull web servers


@pytest.mark.postgres
def test_the_nightly_schedule_is_0330_oslo(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired"]
    assert entry["task"] == "enquiries.tasks.purge_expired"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {30})
    assert settings.CELERY_TIMEZONE == "Europe/Oslo"
    assert connection.vendor == "postgresql"


def test_every_model_that_points_at_an_enquiry_goes_with_it():
    """The PostgreSQL fast path deletes listed children by hand: a new one must be listed."""
    pointing = {
        relation.related_model
        for relation in Enquiry._meta.related_objects
        if relation.on_delete is not None
    }
    assert pointing == set(retention.CASCADED_CHILDREN)


@pytest.mark.postgres
def test_the_command_says_so_and_fails_when_another_purge_runs():
    from io import StringIO

    from django.core.management import CommandError, call_command

    other = _another_session()
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [retention._LOCK_KEY])
        with (
            translation.override("en"),
            pytest.raises(CommandError, match="Another purge is running"),
        ):
            call_command("purge_expired", stdout=StringIO())
    finally:
        other.execute("SELECT pg_advisory_unlock(%s)", [retention._LOCK_KEY])
        other.close()
    out = StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Would remove (received before ")
