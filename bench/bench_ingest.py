"""Inbound mail: ingest 10,000 mails of the test corpus's mix in one process (parse, thread,
store, index), and poll a real IMAP server (a private dovecot) with nothing new and with 500
new mails.

Targets (issue #18): >= 100 mails/s end to end, with the time per mail at p50 and p99; an
empty poll < 50 ms; 500 new mails polled within a minute.

make bench BENCH=bench_ingest        (BENCH_INGEST_MAILS=1000 for a quicker look)
"""

import os
import subprocess
import sys

from bench.common import ROOT, bench_database, production_env

MAILS = int(os.environ.get("BENCH_INGEST_MAILS", "10000"))
POLLED = int(os.environ.get("BENCH_POLL_MAILS", "500"))

# Runs in a Django process with production settings on the bench database.
SCRIPT = r"""
import os, re, statistics, sys, time
from pathlib import Path
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
django.setup()
from django.conf import settings
from django.db import connection
from enquiries.core import heartbeat
from enquiries.intake import inbound_mail, mailbox
from tests.imap import Dovecot, TokenServer

mails, polled = int(sys.argv[1]), int(sys.argv[2])
corpus = [path.read_bytes() for path in sorted(Path("tests/mail_corpus").glob("*.eml"))]

def variant(raw, n):
    # A mail of its own: its Message-ID and subject carry the number.
    raw = re.sub(rb"(?im)^Message-ID:[^\r\n]*\r?\n", b"", raw)
    raw = re.sub(rb"(?im)^(Subject:[^\r\n]*)", lambda m: m.group(1) + b" %d" % n, raw, count=1)
    return b"Message-ID: <bench-%d@bench.example>\r\n" % n + raw

def measure(label, batch, *, durable):
    times, outcomes = [], {}
    started = time.perf_counter()
    for number, raw in enumerate(batch, 1):
        t = time.perf_counter()
        outcome = inbound_mail.ingest(raw, durable=durable).outcome
        if not durable and number % mailbox.CHUNK == 0:
            heartbeat.record(name=heartbeat.INBOX)  # as the poll does: the chunk made durable
        times.append(time.perf_counter() - t)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    total = time.perf_counter() - started
    times.sort()
    print(f"{label}: {len(batch):,} mails in {total:.1f} s = {len(batch) / total:.0f} mails/s "
          f"(target >= 100); per mail p50 {times[len(times) // 2] * 1000:.1f} ms, "
          f"p99 {times[int(len(times) * 0.99)] * 1000:.1f} ms; {outcomes}", flush=True)

measure("ingest as the poll does (chunks of 50)",
        [variant(corpus[n % len(corpus)], n) for n in range(mails)], durable=False)
extra = min(mails, 1000)
measure("ingest_email (a durable commit each)",
        [variant(corpus[n % len(corpus)], 10**7 + n) for n in range(extra)], durable=True)
mails += 10**7

with TokenServer() as tokens, Dovecot(tokens.url) as server:
    settings.PRESSDESK_INBOX = server.url()
    mailbox.poll()
    empty = []
    for _ in range(20):
        t = time.perf_counter()
        mailbox.poll()
        empty.append(time.perf_counter() - t)
    print(f"empty poll: median {statistics.median(empty) * 1000:.1f} ms, "
          f"longest {max(empty) * 1000:.1f} ms (target < 50 ms)", flush=True)
    server.append(*(variant(corpus[n % len(corpus)], mails + n) for n in range(polled)))
    t = time.perf_counter()
    result = mailbox.poll()
    print(f"poll of {polled} new mails: {time.perf_counter() - t:.1f} s (target < 60 s); "
          f"{dict(result.counts)}", flush=True)
"""


def run() -> None:
    with bench_database("ingest") as (url, _reused):
        env = production_env(url)
        subprocess.run(
            [sys.executable, "-c", SCRIPT, str(MAILS), str(POLLED)], cwd=ROOT, env=env,
            check=True,
        )  # fmt: skip
