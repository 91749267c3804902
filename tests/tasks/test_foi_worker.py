"""FOI routing with a real Celery worker (and beat) on a private Redis, a real SMTP server on
loopback as the post registry's mailbox, and a real HTTP archive system on loopback."""

from collections.abc import Iterator

import pytest
import redis
from django.db import transaction

from enquiries.foi import routing as foi_routing
from enquiries.intake.public_form import Submission, submit
from enquiries.models import Enquiry, FoiRouting
from enquiries.tasks import relay_email
from pressdesk.celery import app
from tests.archive import SECRET, running_receiver
from tests.mail import SmtpServer
from tests.tasks.helpers import Worker, publishing_to, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

REGISTRY = "postmottak@helseetaten.example"


@pytest.fixture
def registry() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def broker(broker: str) -> Iterator[str]:
    """A fresh database on this xdist worker's own Redis; this process publishes there too."""
    with publishing_to(broker):
        yield broker


def _request(key: str = "form-1") -> Enquiry:
    enquiry, _created = submit(
        Submission(
            first_name="Kari", last_name="Nordmann", outlet="Dagbladet",
            email="kari.nordmann@dagbladet.no", phone="", mobile="",
            topic="Innsyn i avtalen", question="Jeg ber om innsyn i avtalen, jf. offentleglova.",
            deadline=None, is_foi=True, opt_out=False, key=key,
        )
    )  # fmt: skip
    return enquiry


def _registry_mail(registry: SmtpServer) -> list:  # type: ignore[type-arg]
    return [m for m in registry.inbox.messages if m["To"] == REGISTRY]


def test_one_message_per_request_even_when_the_task_comes_twice(registry, broker, tmp_path):
    enquiry = _request()  # its relay is queued on commit, on the worker's Redis
    routing = FoiRouting.objects.get(enquiry=enquiry)
    with app.connection_for_write(broker) as connection:
        relay_email.apply_async(args=[routing.delivery_id], connection=connection)
    worker = Worker(broker, tmp_path, EMAIL_URL=registry.url)
    try:
        wait_for(
            lambda: FoiRouting.objects.get(pk=routing.pk).status == "sent",
            timeout=60, what="the routing to be sent",
        )  # fmt: skip
        wait_for(lambda: len(registry.inbox.messages) == 2, timeout=30, what="the acknowledgement")
        # Both deliveries of the routing's relay (and the acknowledgement's) have run.
        wait_for(worker.idle, timeout=60, what="the worker to run every delivery")
    finally:
        output = worker.stop()
    [forwarded] = _registry_mail(registry)
    assert forwarded["Reply-To"] == "kari.nordmann@dagbladet.no", output[-2000:]
    assert enquiry.reference in forwarded["Subject"]
    assert len(registry.inbox.messages) == 2  # the request, and the requester's acknowledgement
    assert Enquiry.objects.get(pk=enquiry.pk).status == "routed"


def test_smtp_down_retries_then_fails_and_retry_now_sends_once(
    registry, broker, tmp_path, officer, settings
):
    registry.inbox.answer = "451 Mailbox busy, try later"
    # The window is the request's, written on its delivery row when it is queued.
    settings.PRESSDESK_FOI_RETRY_SECONDS = 6
    worker = Worker(
        broker, tmp_path, EMAIL_URL=registry.url, PRESSDESK_RETRY_BASE_SECONDS="1",
    )  # fmt: skip
    try:
        # The retry window runs from the request: a worker still starting on a busy machine
        # would leave no time for a second attempt.
        wait_for(worker.ready, timeout=60, what="the worker to start")
        enquiry = _request()
        routing = FoiRouting.objects.get(enquiry=enquiry)
        wait_for(
            lambda: FoiRouting.objects.get(pk=routing.pk).status == "failed",
            timeout=60, what="the routing to give up",
        )  # fmt: skip
        failed = FoiRouting.objects.get(pk=routing.pk)
        assert failed.attempts >= 2, "it retried before giving up"
        assert "451" in failed.last_error
        assert registry.inbox.messages == []

        registry.inbox.answer = "250 OK"
        with transaction.atomic():
            assert foi_routing.retry_now(routing_id=routing.pk, by=officer)
        wait_for(
            lambda: FoiRouting.objects.get(pk=routing.pk).status == "sent",
            timeout=60, what="the retried routing",
        )  # fmt: skip
        # No delivery left to run: none queued, none waiting out a retry's countdown.
        wait_for(worker.idle, timeout=60, what="the worker to run every delivery")
    finally:
        output = worker.stop()
    assert len(_registry_mail(registry)) == 1, output[-2000:]


def test_a_relay_lost_in_redis_is_swept_and_sent_once(registry, broker, tmp_path):
    enquiry = _request()
    routing = FoiRouting.objects.get(enquiry=enquiry)
    assert redis.Redis.from_url(broker).llen("celery") == 1  # the relay, queued on commit
    redis.Redis.from_url(broker).delete("celery")  # lost between the commit and the worker
    worker = Worker(
        broker, tmp_path, EMAIL_URL=registry.url,
        PRESSDESK_OUTBOX_SWEEP_SECONDS="1", PRESSDESK_OUTBOX_LOST_AFTER_SECONDS="1",
    )  # fmt: skip
    try:
        wait_for(
            lambda: FoiRouting.objects.get(pk=routing.pk).status == "sent",
            timeout=60, what="the swept routing",
        )  # fmt: skip
        # Several more sweeps have run to the end: none may send it again.
        sweeps = worker.ended("enquiries.tasks.sweep_outbox")
        wait_for(
            lambda: worker.ended("enquiries.tasks.sweep_outbox") >= sweeps + 3,
            timeout=60, what="three more sweeps",
        )  # fmt: skip
        wait_for(worker.idle, timeout=60, what="the worker to run every delivery")
    finally:
        output = worker.stop()
    assert len(_registry_mail(registry)) == 1, output[-2000:]


def test_by_webhook_a_500_then_200_makes_one_case(broker, tmp_path, settings):
    with running_receiver() as archive:
        archive.statuses = [500]
        settings.PRESSDESK_FOI_BACKEND = "webhook"
        enquiry = _request()
        routing = FoiRouting.objects.get(enquiry=enquiry)
        worker = Worker(
            broker, tmp_path, PRESSDESK_FOI_BACKEND="webhook",
            PRESSDESK_FOI_WEBHOOK_URL=archive.url, PRESSDESK_FOI_WEBHOOK_SECRET=SECRET,
            PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP="true",
            PRESSDESK_RETRY_BASE_SECONDS="1",
        )  # fmt: skip
        try:
            wait_for(
                lambda: FoiRouting.objects.get(pk=routing.pk).status == "sent",
                timeout=60, what="the webhook routing",
            )  # fmt: skip
            wait_for(worker.idle, timeout=60, what="the worker to run every delivery")
        finally:
            output = worker.stop()
    routing.refresh_from_db()
    assert [r["valid"] for r in archive.requests] == [True, True], output[-2000:]
    assert (routing.attempts, routing.case_number) == (2, "2026/100")
    assert len(archive.cases) == 1
