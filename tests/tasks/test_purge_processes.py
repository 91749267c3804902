"""The purge as processes: killed half-way and run again, and fired by a real Celery beat."""

import signal
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from enquiries.models import Enquiry, Message, MonthlyTally, PurgeRun
from enquiries.retention import purge as retention
from tests.tasks.helpers import Worker, start, wait_for

OSLO = ZoneInfo("Europe/Oslo")
EXPIRED = 600

# Other processes (a second purge, a worker) share the database and Redis with the test.
pytestmark = pytest.mark.worker


def _load_expired(count: int) -> None:
    """Expired enquiries across months and channels, each with a message (bulk, for speed)."""
    base = datetime(2021, 1, 15, 12, 0, tzinfo=OSLO)
    channels = ["phone", "email", "web_form"]
    Enquiry.objects.bulk_create(
        Enquiry(
            reference=f"P-2021-{n:05d}", received_at=base + timedelta(days=n % 200),
            channel=channels[n % 3], topic=f"Gammel sak {n}",
        )
        for n in range(count)
    )  # fmt: skip
    Message.objects.bulk_create(
        Message(enquiry=enquiry, direction="note", sent_at=enquiry.received_at, body="Notat")
        for enquiry in Enquiry.objects.all()
    )


def _expected_tallies() -> dict[tuple[object, str], int]:
    expected: dict[tuple[object, str], int] = {}
    for received_at, channel in Enquiry.objects.values_list("received_at", "channel"):
        month = received_at.astimezone(OSLO).date().replace(day=1)
        expected[(month, channel)] = expected.get((month, channel), 0) + 1
    return expected


def _tallies() -> dict[tuple[object, str], int]:
    return {(t.month, t.channel): t.count for t in MonthlyTally.objects.all()}


@pytest.mark.django_db(transaction=True)
def test_a_purge_killed_half_way_and_run_again_leaves_exact_tallies(broker):
    _load_expired(EXPIRED)
    expected = _expected_tallies()
    purge = start(["manage.py", "purge_expired", "--batch-size", "3"], redis_url=broker)
    try:
        wait_for(lambda: Enquiry.objects.count() < EXPIRED - 30, timeout=60, what="a few batches")
    except AssertionError:
        purge.kill()
        raise AssertionError(
            purge.communicate(timeout=30)[0].decode(errors="replace")[-3000:]
        ) from None
    purge.send_signal(signal.SIGKILL)
    purge.wait(timeout=10)
    left = Enquiry.objects.count()
    assert 0 < left < EXPIRED, "the purge should have been killed part-way"
    assert sum(_tallies().values()) == EXPIRED - left  # each batch: counted and deleted together
    assert PurgeRun.objects.get().status == "running"  # killed: never marked done

    result = retention.purge_expired(batch_size=50)  # the dead run's lock went with its session

    assert result.counts["enquiries"] == left
    assert not Enquiry.objects.exists()
    assert not Message.objects.exists()
    assert _tallies() == expected
    # The killed run is closed as interrupted by the next one (which held the lock, so it
    # knew nobody else was running), not left "running" for ever.
    killed, rerun = PurgeRun.objects.order_by("started_at")
    assert (killed.status, rerun.status) == ("failed", "succeeded")
    assert killed.error.startswith("interrupted")
    assert killed.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_running_purge_is_not_closed_by_a_second_one_that_finds_it_locked():
    """Only the holder of the lock may close runs as interrupted: a run that is really going
    on (here: this test holds the lock, as a live purge's session does) stays "running"."""
    live = PurgeRun.objects.create(cutoff=datetime(2023, 1, 1, tzinfo=OSLO).date())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [retention._LOCK_KEY])
    try:
        purge = start(["manage.py", "purge_expired"], redis_url="")
        output = purge.communicate(timeout=60)[0].decode(errors="replace")
        assert purge.returncode != 0, output
        live.refresh_from_db()
        assert live.status == "running"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [retention._LOCK_KEY])


@pytest.mark.django_db(transaction=True)
def test_celery_beat_fires_the_purge_on_a_real_worker(broker, tmp_path):
    _load_expired(30)
    worker = Worker(broker, tmp_path, concurrency=1, PRESSDESK_PURGE_EVERY_SECONDS="1")
    try:
        wait_for(
            lambda: PurgeRun.objects.filter(status="succeeded").exists(),
            timeout=60,
            what="beat to fire the purge on the worker",
        )
    except AssertionError:
        raise AssertionError(worker.stop()[-3000:]) from None
    worker.stop()
    assert not Enquiry.objects.exists()
    assert sum(_tallies().values()) == 30
    connection.close()
