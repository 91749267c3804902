"""Proof of sending (issue #15, TESTING.md 35): a sending process killed at each step of an
SMTP transaction, then the sweeper. The receiving server holds each mail exactly once, with
no person's help: re-sent when the end of DATA cannot have been sent, "delivered,
confirmation lost" when it was. Each delivery keeps our Message-ID and the server's reply."""

import asyncio
import subprocess
import sys
import threading
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone

from enquiries.mail import outbox
from enquiries.models import OutboundEmail
from tests.mail import free_port
from tests.tasks.helpers import ROOT, process_env, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class StallingServer:
    """aiosmtpd that records every message it takes and can stall at RCPT (before DATA) or
    after the end of DATA (the message is in, the "250" not yet sent)."""

    def __init__(self, stall_at: str | None) -> None:
        self.stall_at = stall_at
        self.reached = threading.Event()
        self.release = threading.Event()
        self.messages: list[object] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def _stall(self, stage: str) -> None:
        if self.stall_at == stage and not self.reached.is_set():
            self.reached.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        await self._stall("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        await self._stall("data end")
        return "250 2.0.0 queued as REG-1"

    @property
    def mailers(self) -> dict[str, dict[str, object]]:
        return {
            "default": {
                "BACKEND": "enquiries.mail.smtp.EvidenceEmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }


def _queue_foi_style_mail() -> OutboundEmail:
    return outbox.queue_email(
        kind="foi_forward", to="postmottak@helsedir.example", subject="Innsynskrav P-2026-00001",
        body="Et innsynskrav.", key="evidence-test",
    )  # fmt: skip


def _deliver_in_a_process_killed_at(server: StallingServer, mail: OutboundEmail) -> None:
    script = (
        "import django; django.setup();"
        "from enquiries.mail import outbox;"
        f"outbox.deliver(email_id={mail.pk})"
    )
    env = process_env(redis_url="", EMAIL_URL=f"smtp://127.0.0.1:{server.port}")
    sender = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(server.reached.is_set, timeout=60, what=f"the sender to reach {server.stall_at}")
    finally:
        sender.kill()  # SIGKILL: no handler, no cleanup, as a worker lost with its machine
        output = sender.communicate(timeout=30)[0].decode(errors="replace")
        server.release.set()
    mail.refresh_from_db()
    assert mail.status == "sending", output


def _sweep_after_the_stuck_time(settings) -> dict[str, int]:  # type: ignore[no-untyped-def]
    later = timezone.now() + timedelta(seconds=settings.PRESSDESK_OUTBOX_STUCK_SECONDS + 1)
    with time_machine.travel(later):
        return outbox.sweep()


def test_killed_before_data_it_is_sent_again_and_arrives_once(settings):
    server = StallingServer(stall_at="rcpt")
    server.controller.start()
    try:
        settings.MAILERS = server.mailers
        mail = _queue_foi_style_mail()
        _deliver_in_a_process_killed_at(server, mail)
        assert mail.smtp_stage == "connecting"
        message_id = mail.message_id
        assert message_id.endswith("@pressdesk.invalid>")  # ours, with our domain

        assert _sweep_after_the_stuck_time(settings)["revived"] == 1
        outbox.deliver(email_id=mail.pk)  # what the re-dispatched relay does
    finally:
        server.controller.stop()

    mail.refresh_from_db()
    assert len(server.messages) == 1
    assert server.messages[0]["Message-ID"] == message_id  # the same mail, not a new one
    assert mail.status == "sent"
    assert mail.receipt.startswith("250 2.0.0 queued as REG-1")  # the server's final reply


def test_killed_after_the_end_of_data_it_is_delivered_with_confirmation_lost(settings):
    server = StallingServer(stall_at="data end")
    server.controller.start()
    try:
        settings.MAILERS = server.mailers
        mail = _queue_foi_style_mail()
        _deliver_in_a_process_killed_at(server, mail)
        assert mail.smtp_stage == "data end"

        assert _sweep_after_the_stuck_time(settings)["confirmation_lost"] == 1
        outbox.deliver(email_id=mail.pk)  # a late relay finds nothing to send
    finally:
        server.controller.stop()

    mail.refresh_from_db()
    assert len(server.messages) == 1  # never sent twice
    assert server.messages[0]["Message-ID"] == mail.message_id
    assert mail.status == "sent"
    assert mail.receipt.startswith(outbox.CONFIRMATION_LOST)
    assert mail.message_id in mail.receipt  # the evidence, for anyone who asks the registry


def test_the_stuck_time_is_a_setting(settings):
    settings.PRESSDESK_OUTBOX_STUCK_SECONDS = 5
    mail = _queue_foi_style_mail()
    OutboundEmail.objects.filter(pk=mail.pk).update(
        status="sending", smtp_stage="connecting", claimed_at=timezone.now() - timedelta(seconds=6)
    )
    assert outbox.sweep()["revived"] == 1
