"""The outbox with a real Celery worker on Redis and a real SMTP server on loopback."""

import subprocess
import time
from collections.abc import Iterator

import pytest
from django.db import transaction

from enquiries.models import Enquiry, OutboundEmail
from enquiries.services import outbox
from enquiries.tasks import relay_email
from pressdesk.celery import app
from tests.mail import SmtpServer, free_port
from tests.tasks.helpers import private_redis_url, start, start_worker, stop, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

SUBMIT_THE_FORM = """
import re, time, django
django.setup()
from django.conf import settings
from django.test import Client
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


def test_a_worker_relays_the_mail_once_even_when_the_task_comes_twice(smtp_server, tmp_path):
    broker = private_redis_url()
    mail = _queue("twice")
    worker = start_worker(broker, tmp_path, EMAIL_URL=smtp_server.url)
    try:
        with app.connection_for_write(broker) as connection:
            relay_email.apply_async(args=[mail.pk], connection=connection)
            relay_email.apply_async(args=[mail.pk], connection=connection)
        wait_for(lambda: smtp_server.inbox.messages, timeout=60, what="the mail")
        time.sleep(2)  # time for the second delivery to run, and (wrongly) send
    finally:
        output = stop(worker)
    assert len(smtp_server.inbox.messages) == 1, output[-2000:]
    assert smtp_server.inbox.messages[0]["Subject"] == "Kvittering twice"
    mail.refresh_from_db()
    assert mail.status == "sent"


def test_with_redis_down_the_mail_waits_and_goes_once_when_it_is_back(smtp_server, tmp_path):
    port = free_port()
    redis_args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no"]  # fmt: skip
    broker = f"redis://127.0.0.1:{port}/0"
    # Redis is down while a journalist submits the public form (in a process of its own,
    # configured with the stopped Redis): the enquiry is saved and the receipt shown.
    submitter = start(["-c", SUBMIT_THE_FORM], REDIS_URL=broker, ALLOWED_HOSTS="testserver")
    out = submitter.communicate(timeout=60)[0].decode()
    assert submitter.returncode == 0, out
    assert "receipt: 200 P-" in out, out
    assert Enquiry.objects.get().channel == "web_form"
    assert OutboundEmail.objects.get().status == "queued"

    redis_server = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL)
    worker = None
    try:
        wait_for(lambda: _pingable(broker), timeout=10, what="the private Redis")
        worker = start_worker(
            broker, tmp_path, EMAIL_URL=smtp_server.url,
            PRESSDESK_OUTBOX_SWEEP_SECONDS="1", PRESSDESK_OUTBOX_LOST_AFTER_SECONDS="1",
        )  # fmt: skip
        wait_for(lambda: smtp_server.inbox.messages, timeout=60, what="the swept mail")
        time.sleep(3)  # several more sweeps: none may send it again
    finally:
        output = stop(worker) if worker else ""
        redis_server.terminate()
        redis_server.wait(timeout=10)
    assert len(smtp_server.inbox.messages) == 1, output[-2000:]
    assert OutboundEmail.objects.get().status == "sent"


def _pingable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False
