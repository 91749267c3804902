"""The retention purge at national scale: 1,000,000 expired enquiries (with a message each)
purged while a second client keeps logging enquiries and reading the queue's first page.

Targets on this 2-core machine: under 120 s in all; no insert or read waits more than 500 ms.

make bench BENCH=bench_purge        (BENCH_PURGE_ROWS=100000 for a quicker look)
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from bench.common import ROOT, bench_database, production_env

ROWS = int(os.environ.get("BENCH_PURGE_ROWS", "1000000"))

LOAD_SQL = """
INSERT INTO enquiries_journalist
    (first_name, last_name, email, phone, mobile, created_at, updated_at)
SELECT 'Person', 'Nr' || g, 'p' || g || '@example.no', '', '', now() - interval '5 years',
       now() - interval '5 years'
FROM generate_series(1, 20000) g;

INSERT INTO enquiries_enquiry (reference, received_at, channel, kind, status, topic, details,
    opted_out, created_at, updated_at, journalist_id)
SELECT 'X-' || g,
       now() - interval '4 years' - (g % 400 || ' days')::interval
           - (g % 1440 || ' minutes')::interval,
       (ARRAY['phone', 'email', 'web_form', 'social'])[1 + g % 4], 'press', 'closed',
       'Gammel sak ' || g, 'Detaljer ' || g, false, now(), now(),
       (SELECT min(id) FROM enquiries_journalist) + g % 20000
FROM generate_series(1, %(rows)s) g;

INSERT INTO enquiries_message (enquiry_id, direction, sent_at, from_address, to_address, subject,
    body, message_id, created_at)
SELECT id, 'in', received_at, 'p@example.no', 'presse@helseetaten.example', 'Sak',
       'Tekst', '', now()
FROM enquiries_enquiry;
"""

# The second client: an officer's work, timed one call at a time, until told to stop.
CLIENT = r"""
import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
django.setup()
from enquiries.queue.listing import QueueFilters
from enquiries.queue.listing import desk_queue
from enquiries.intake import log as intake
stop = sys.argv[1]
inserts, reads = [], []
while not os.path.exists(stop):
    started = time.perf_counter()
    intake.log_enquiry(by=None, channel="phone", topic="Ny henvendelse under slettingen")
    inserts.append(time.perf_counter() - started)
    started = time.perf_counter()
    page = desk_queue(filters=QueueFilters())
    assert page.rows
    reads.append(time.perf_counter() - started)
    time.sleep(0.05)
print(len(inserts), max(inserts), sorted(inserts)[int(len(inserts) * 0.99)],
      len(reads), max(reads), sorted(reads)[int(len(reads) * 0.99)])
"""


def run() -> None:
    with bench_database("purge") as (url, _reused):
        env = production_env(url)
        started = time.monotonic()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(LOAD_SQL.replace("%(rows)s", str(ROWS)))
            conn.execute("VACUUM ANALYZE")
        print(f"loaded {ROWS:,} expired enquiries and messages in "
              f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip

        stop = Path(ROOT / "var" / "bench" / "purge-client.stop")
        stop.parent.mkdir(parents=True, exist_ok=True)
        stop.unlink(missing_ok=True)
        client = subprocess.Popen(
            [sys.executable, "-c", CLIENT, str(stop)], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(2)  # the client is up and working before the purge starts
        started = time.monotonic()
        purge = subprocess.run(
            [sys.executable, "manage.py", "purge_expired"], cwd=ROOT, env=env,
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        total = time.monotonic() - started
        stop.touch()
        out, _ = client.communicate(timeout=60)
        n_ins, max_ins, p99_ins, n_read, max_read, p99_read = out.split()
        print(purge.stdout.strip())
        print(f"purge of {ROWS:,} enquiries: {total:.1f} s in all (target < 120 s)")
        print(
            f"meanwhile {n_ins} inserts: longest {float(max_ins) * 1000:.0f} ms, "
            f"p99 {float(p99_ins) * 1000:.0f} ms; {n_read} queue reads: longest "
            f"{float(max_read) * 1000:.0f} ms, p99 {float(p99_read) * 1000:.0f} ms "
            "(target: none over 500 ms)",
            flush=True,
        )
