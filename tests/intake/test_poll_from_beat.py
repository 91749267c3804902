"""Beat polls the inbox on its own: a Celery worker with beat, a real dovecot, no command."""

import pytest

from enquiries.models import Enquiry
from tests.intake.test_poll_inbox import DONE, mail
from tests.tasks.helpers import Worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_beat_polls_the_inbox_and_a_worker_ingests_what_came(dovecot, broker, tmp_path):
    inbox = dovecot.url()
    dovecot.append(mail(1), mail(2, sender="kari@nrk.no"))
    worker = Worker(
        broker, tmp_path, concurrency=2,
        PRESSDESK_INBOX_URL=f"imap://{inbox['username']}:{inbox['password']}@127.0.0.1:"
        f"{inbox['port']}/INBOX",
        PRESSDESK_INBOX_POLL_SECONDS="1",
    )  # fmt: skip
    try:
        wait_for(lambda: dovecot.count(DONE) == 2, timeout=60, what="beat's poll")
        assert Enquiry.objects.count() == 2
        dovecot.append(mail(3, sender="per@dagbladet.no"))
        wait_for(lambda: Enquiry.objects.count() == 3, timeout=60, what="the next poll")
        wait_for(lambda: worker.ended("enquiries.tasks.poll_inbox") >= 3, timeout=60,
                 what="more polls with nothing new")  # fmt: skip
        assert Enquiry.objects.count() == 3  # nothing twice, with polls overlapping
    finally:
        log = worker.stop()
    assert "inbox: not polled" not in log, log
