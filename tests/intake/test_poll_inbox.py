"""`poll_inbox` against a real IMAP server (a private dovecot on loopback): with a password and
with XOAUTH2, never twice, nothing lost when a poll is interrupted, one poll at a time."""

import os
import signal
import subprocess
import sys
from io import StringIO

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import translation

from enquiries.intake import inbound_mail, mailbox
from enquiries.mail import outbox
from enquiries.models import Enquiry, HeldMail, Message
from tests import makers
from tests.tasks.helpers import ROOT, process_env, wait_for, worker_database_url

pytestmark = pytest.mark.django_db

DONE = "Pressdesk-processed"


def mail(number: int = 1, *, sender: str = "Ola Nordmann <ola.nordmann@vg.no>",
         subject: str = "Spørsmål om ME-veilederen", extra: str = "",
         body: str = "") -> bytes:  # fmt: skip
    return (
        f"From: {sender}\r\nTo: presse@helseetaten.no\r\nSubject: {subject}\r\n"
        f"Date: Tue, 01 Dec 2026 10:15:00 +0100\r\nMessage-ID: <m{number}@vg.no>\r\n{extra}"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body or f'Hei! Spørsmål nummer {number}.'}\r\n"
    ).encode()


def poll() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("poll_inbox", stdout=out)
    return out.getvalue().strip()


def test_mails_appended_over_imap_are_polled_into_enquiries_and_threads(dovecot):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    sent = outbox.queue_email(
        kind="reply", to="ola.nordmann@vg.no", subject=f"[{enquiry.reference}] Svar",
        body="Svar", key="reply-1", enquiry=enquiry,
    )  # fmt: skip
    sent.message_id = "<ours-1@helseetaten.no>"
    sent.save(update_fields=["message_id"])
    dovecot.append(
        mail(1, sender="Kari Hansen <kari@nrk.no>", subject="Nytt spørsmål"),
        mail(2, subject="Sv: Svar", extra="In-Reply-To: <ours-1@helseetaten.no>\r\n"),
    )

    output = poll()

    assert "1 new enquiries, 1 added to threads" in output
    assert Enquiry.objects.count() == 2
    assert Message.objects.get(enquiry=enquiry).body == "Hei! Spørsmål nummer 2."
    assert Enquiry.objects.exclude(pk=enquiry.pk).get().journalist.email == "kari@nrk.no"
    assert (dovecot.count("INBOX"), dovecot.count(DONE)) == (0, 2)


def test_a_second_poll_creates_nothing_and_the_same_mail_again_is_taken_once(dovecot):
    dovecot.append(mail(1), mail(2, sender="kari@nrk.no"))
    poll()
    assert "0 new enquiries" in poll()
    dovecot.append(mail(1))  # the same mail delivered twice

    output = poll()

    assert "0 new enquiries" in output
    assert "1 already ingested" in output
    assert (Enquiry.objects.count(), Message.objects.count()) == (2, 2)
    assert (dovecot.count("INBOX"), dovecot.count(DONE)) == (0, 3)


def test_xoauth2_with_a_client_credentials_token_kept_while_it_has_time_left(dovecot, oauth):
    dovecot.append(mail(1))
    issued = oauth.issued
    assert "1 new enquiries" in poll()
    assert "0 new enquiries" in poll()
    assert oauth.issued == issued + 1  # one token for both polls: it had an hour left
    assert Enquiry.objects.count() == 1


def test_xoauth2_token_is_fetched_again_before_it_expires(dovecot, oauth):
    oauth.expires_in = 60  # less than the refresh margin left: fetched again before each poll
    dovecot.append(mail(1))
    issued = oauth.issued
    assert "1 new enquiries" in poll()
    assert "0 new enquiries" in poll()
    assert oauth.issued == issued + 2


def test_a_refused_token_is_a_clear_failure_and_loses_nothing(dovecot, oauth, settings):
    settings.PRESSDESK_INBOX_OAUTH_CLIENT_SECRET = "wrong"
    dovecot.append(mail(1))
    with pytest.raises(CommandError, match=r"refused \(HTTP 401\)\. Nothing was lost"):
        poll()
    assert dovecot.count("INBOX") == 1
    assert not Enquiry.objects.exists()


def test_a_wrong_password_is_a_clear_failure(dovecot, settings):
    settings.PRESSDESK_INBOX = {**dovecot.url(), "password": "wrong"}
    with pytest.raises(CommandError, match="refused the login"):
        poll()


def test_a_mail_ingested_but_not_yet_moved_is_moved_by_the_next_poll_not_doubled(dovecot):
    dovecot.append(mail(1), mail(2, sender="kari@nrk.no"))
    inbound_mail.ingest(mail(1))  # a poll that died after its commit, before the move

    output = poll()

    assert "1 new enquiries" in output
    assert "1 already ingested" in output
    assert (Enquiry.objects.count(), Message.objects.count()) == (2, 2)
    assert dovecot.count("INBOX") == 0


def test_a_hijack_attempt_over_imap_lands_in_the_holding_pen(dovecot):
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    dovecot.append(
        mail(
            1, sender="Mallory <mallory@evil.example>", subject=f"Re: {enquiry.reference} rettelse"
        )
    )

    assert "1 held" in poll()

    held = HeldMail.objects.get()
    assert (held.reason, held.flagged, held.named_reference) == (
        "reference", True, enquiry.reference,
    )  # fmt: skip
    assert not Message.objects.exists()


def test_while_another_poll_runs_this_one_does_nothing(dovecot):
    dovecot.append(mail(1))
    if cache_lock := not _on_postgres():
        assert cache.add("lock:poll-inbox", 1)
    else:
        other = psycopg.connect(worker_database_url(), autocommit=True)
        other.execute("SELECT pg_advisory_lock(%s)", [mailbox._LOCK_KEY])
    try:
        with pytest.raises(CommandError, match="Another poll is running"):
            poll()
        assert dovecot.count("INBOX") == 1
    finally:
        if cache_lock:
            cache.delete("lock:poll-inbox")
        else:
            other.execute("SELECT pg_advisory_unlock(%s)", [mailbox._LOCK_KEY])
            other.close()
    assert "1 new enquiries" in poll()


def _on_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_poll_killed_mid_way_then_run_again_loses_and_doubles_nothing(dovecot):
    count = 120
    dovecot.append(*(mail(n, sender=f"Reporter {n} <r{n}@nrk.no>") for n in range(count)))
    inbox = dovecot.url()
    env = process_env(
        redis_url="memory://",
        PRESSDESK_INBOX_URL=f"imap://{inbox['username']}:{inbox['password']}@127.0.0.1:"
        f"{inbox['port']}/INBOX",
    )
    env.pop("REDIS_URL")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "poll_inbox"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: Message.objects.count() >= 10, timeout=60, what="the poll under way")
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert Message.objects.count() < count, "the poll ended before it could be killed"

    poll()

    assert Message.objects.count() == count
    assert Enquiry.objects.count() == count
    assert sorted(Message.objects.values_list("message_id", flat=True)) == sorted(
        f"<m{n}@vg.no>" for n in range(count)
    )
    assert (dovecot.count("INBOX"), dovecot.count(DONE)) == (0, count)
