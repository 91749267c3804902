"""The outbox with a real Celery worker on Redis and a real SMTP server on loopback."""

import socket
from collections.abc import Iterator

import pytest
from django.db import transaction

from enquiries.mail import outbox
from enquiries.models import Enquiry, OutboundEmail
from enquiries.tasks import relay_email
from pressdesk.celery import app
from tests.mail import SmtpServer
from tests.tasks.helpers import Worker, start, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

SUBMIT_THE_FORM = """
import re, time, django
django.setup()
from django.conf import settings
from tests.clients import FormClient as Client  # urlencoded, as a browser posts the form
settings.PRESSDESK_FORM_MIN_SECONDS = 0
# As in the rest of the suite: no collectstatic, so no manifest.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client()
page = client.get("/enquiry/").content.decode()
stamp = re.search(r'name="stamp" value="([^"]+)"', page).group(1)
started = time.monotonic()
response = client.post("/enquiry/", {
    "first_name": "Ola", "last_name": "Nordmann", "outlet": "VG", "email": "ola@vg.no",
    "topic": "Veilederen", "question": "Når?", "stamp": stamp})
receipt = client.get(response["Location"])
reference = re.search(r"P-\\d{4}-\\d{5}", receipt.content.decode()).group(0)
seconds = round(time.monotonic() - started, 1)
print("receipt:", receipt.status_code, reference, "after", seconds, "s")
"""


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def _queue(key: str) -> OutboundEmail:
    with transaction.atomic():
        return outbox.queue_email(
            kind="receipt", to="ola.nordmann@vg.no", subject=f"Kvittering {key}",
            body="Referansen din er P-2026-00042.", key=key,
        )  # fmt: skip


def test_a_worker_relays_the_mail_once_even_when_the_task_comes_twice(
    smtp_server, broker, tmp_path
):
    mail = _queue("twice")
    worker = Worker(broker, tmp_path, EMAIL_URL=smtp_server.url)
    try:
        with app.connection_for_write(broker) as connection:
            relay_email.apply_async(args=[mail.pk], connection=connection)
            relay_email.apply_async(args=[mail.pk], connection=connection)
        wait_for(lambda: smtp_server.inbox.messages, timeout=60, what="the mail")
        wait_for(
            lambda: worker.ended("enquiries.tasks.relay_email") >= 2,
            timeout=60, what="the second delivery to run (and, wrongly, send)",
        )  # fmt: skip
    finally:
        output = worker.stop()
    assert len(smtp_server.inbox.messages) == 1, output[-2000:]
    assert smtp_server.inbox.messages[0]["Subject"] == "Kvittering twice"
    mail.refresh_from_db()
    assert mail.status == "sent"


def test_with_redis_down_the_mail_waits_and_goes_once_when_it_is_back(
    smtp_server, broker, tmp_path
):
    # Redis is down while a journalist submits the public form (in a process of its own,
    # configured with a Redis that refuses connections: a port held bound by this test, never
    # listening): the enquiry is saved and the receipt shown.
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        down = f"redis://127.0.0.1:{held.getsockname()[1]}/0"
        submitter = start(["-c", SUBMIT_THE_FORM], redis_url=down, ALLOWED_HOSTS="testserver")
        out = submitter.communicate(timeout=60)[0].decode()
    assert submitter.returncode == 0, out
    assert "receipt: 200 P-" in out, out
    assert Enquiry.objects.get().channel == "web_form"
    assert OutboundEmail.objects.get().status == "queued"

    # Redis is back (this xdist worker's own, an empty database): the sweeper finds the row.
    worker = Worker(
        broker, tmp_path, EMAIL_URL=smtp_server.url,
        PRESSDESK_OUTBOX_SWEEP_SECONDS="1", PRESSDESK_OUTBOX_LOST_AFTER_SECONDS="1",
    )  # fmt: skip
    try:
        wait_for(lambda: smtp_server.inbox.messages, timeout=60, what="the swept mail")
        # Several more sweeps have run to the end: none may send it again.
        sweeps = worker.ended("enquiries.tasks.sweep_outbox")
        wait_for(
            lambda: worker.ended("enquiries.tasks.sweep_outbox") >= sweeps + 3,
            timeout=60, what="three more sweeps",
        )  # fmt: skip
        wait_for(worker.idle, timeout=60, what="the worker to run every delivery")
    finally:
        output = worker.stop()
    assert len(smtp_server.inbox.messages) == 1, output[-2000:]
    assert OutboundEmail.objects.get().status == "sent"
