"""Erasing one journalist with 10,000 enquiries and 30,000 messages (target: under 2 s).

The journalist sits among 50,000 other people's enquiries and 100,000 messages, so the
scrub of mentions elsewhere and the deletes run against tables of some size.
"""

import subprocess
import sys

import psycopg

from bench.common import ROOT, bench_database, production_env

LOAD_SQL = """
INSERT INTO enquiries_journalist
    (first_name, last_name, email, phone, mobile, created_at, updated_at)
SELECT 'Person' || g, 'Etternavn' || g, 'person' || g || '@example.no', '', '', now(), now()
FROM generate_series(1, 5000) g;
INSERT INTO enquiries_journalist
    (first_name, last_name, email, phone, mobile, created_at, updated_at)
VALUES ('Zyxwa', 'Qwertyson', 'zyxwa.qwertyson@vg.no', '', '+4741122334', now(), now());

INSERT INTO enquiries_enquiry (reference, received_at, channel, kind, status, topic, details,
    opted_out, created_at, updated_at, journalist_id)
SELECT 'B-' || g, now() - (g || ' minutes')::interval, 'phone', 'press', 'closed',
    'Spørsmål ' || g, 'Detaljer om sak ' || g, false, now(), now(),
    CASE WHEN g <= 10000 THEN (SELECT id FROM enquiries_journalist WHERE last_name = 'Qwertyson')
         ELSE (SELECT min(id) FROM enquiries_journalist) + (g % 5000) END
FROM generate_series(1, 60000) g;

INSERT INTO enquiries_message (enquiry_id, direction, sent_at, from_address, to_address, subject,
    body, message_id, created_at)
SELECT e.id, 'in', now(), 'someone@example.no', 'presse@helseetaten.example', 'Sv: sak',
    'Tekst i meldingen ' || m, '', now()
FROM enquiries_enquiry e CROSS JOIN generate_series(1, 3) m
WHERE e.reference LIKE 'B-%'
  AND (e.journalist_id = (SELECT id FROM enquiries_journalist WHERE last_name = 'Qwertyson')
       OR e.id % 3 = 0);
UPDATE enquiries_message SET to_address = to_address || ', zyxwa.qwertyson@vg.no'
WHERE id IN (SELECT id FROM enquiries_message ORDER BY id DESC LIMIT 20);
"""

ERASE_SCRIPT = """
import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
django.setup()

start = time.perf_counter()
receipt = erase_contact(by=None, via="command", email="Zyxwa.Qwertyson@vg.no")
seconds = time.perf_counter() - start
r = receipt
print(f"{seconds:.3f} {r.journalists} {r.enquiries} {r.messages} {r.mentions}")
"""


def run() -> None:
    with bench_database("erasure") as (url, _reused):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(LOAD_SQL)
            conn.execute("VACUUM ANALYZE")
            mine = conn.execute(
                "SELECT count(*) FROM enquiries_enquiry e JOIN enquiries_journalist j "
                "ON j.id = e.journalist_id WHERE j.last_name = 'Qwertyson'"
            ).fetchone()[0]
            total = conn.execute("SELECT count(*) FROM enquiries_message").fetchone()[0]
        print(f"loaded: {mine} enquiries of the journalist, {total} messages in all", flush=True)
        result = subprocess.run(
            [sys.executable, "-c", ERASE_SCRIPT], cwd=ROOT, env=production_env(url),
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode:
            print(result.stderr[-2000:])
            raise SystemExit(1)
        seconds, journalists, enquiries, messages, mentions = result.stdout.split()
        print(
            f"erase_contact: {float(seconds):.2f} s (target < 2 s) — {journalists} contact, "
            f"{enquiries} enquiries emptied, {messages} messages removed, "
            f"{mentions} mentions scrubbed elsewhere",
            flush=True,
        )
