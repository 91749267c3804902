"""/healthz tells when the worker or beat is silent (issue #15): green with a real worker and
beat running, "degraded" once they have been silent longer than the setting."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from enquiries.models import Heartbeat
from tests.tasks.helpers import Worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _health() -> dict[str, object]:
    response = Client().get("/healthz")
    assert response.status_code == 200  # silence degrades; it never takes the web out
    return response.json()


def test_with_a_worker_and_beat_health_is_ok_and_degrades_when_they_go_silent(
    broker, tmp_path, settings
):
    settings.PRESSDESK_HEALTH_SILENT_SECONDS = 120
    assert _health()["processes"] == "silent"  # nothing has run yet

    worker = Worker(
        broker, tmp_path, concurrency=1,
        PRESSDESK_HEARTBEAT_SECONDS="1", PRESSDESK_OUTBOX_SWEEP_SECONDS="1",
    )  # fmt: skip
    try:
        wait_for(lambda: Heartbeat.objects.count() == 2, timeout=60, what="a beat tick and a sweep")
    except AssertionError:
        raise AssertionError(worker.stop()[-3000:]) from None
    worker.stop()

    health = _health()
    assert (health["status"], health["processes"]) == ("ok", "ok")
    assert health["last_beat_tick"] is not None
    assert health["last_sweep"] is not None

    # Nobody ticks any more: past the setting, health says so.
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        health = _health()
    assert (health["status"], health["processes"]) == ("degraded", "silent")


def test_a_sweep_without_beat_ticks_is_still_silent(settings):
    """Both must be recent: a sweeper run by hand does not stand for a beat that has died."""
    Heartbeat.objects.create(name="sweep", at=timezone.now())
    assert _health()["processes"] == "silent"
    Heartbeat.objects.create(name="beat", at=timezone.now())
    assert _health()["processes"] == "ok"
