"""The desk on a million enquiries: the queue's first page, a deep page, a filtered page and
two searches, each through gunicorn (production settings, an officer's session) and each
beside the bare Django view measured in the same run.

make bench BENCH=bench_queue
BENCH_KEEP_DB=1 keeps the loaded database (pressdesk_bench_desk) for a second look.
"""

import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse

import psycopg

from bench.common import ROOT, bench_database, get, gunicorn, production_env, report, timed

DATABASE = "pressdesk_bench_desk"
ENQUIRIES = int(os.environ.get("BENCH_ENQUIRIES", "1000000"))
JOURNALISTS = 20_000
OUTLETS = 200
RUNS = int(os.environ.get("BENCH_RUNS", "200"))

SUBJECTS = [
    "vaksine",
    "smittevern",
    "beredskap",
    "legemidler",
    "ventetider",
    "fastlege",
    "sykehus",
    "rusreform",
    "tannhelse",
    "kreftbehandling",
    "antibiotika",
    "influensa",
    "koronavirus",
    "meslinger",
    "luftkvalitet",
    "folkehelse",
    "overvekt",
    "psykiatri",
    "helsestatistikk",
    "fødselstall",
    "selvmordsforebygging",
    "tobakk",
    "snus",
    "alkohol",
    "abort",
    "organdonasjon",
    "screening",
    "diabetes",
    "demens",
    "hjemmetjenester",
    "sykefravær",
    "utmattelse",
    "legevakt",
    "ambulanse",
    "jordmor",
    "helsesykepleier",
    "kosthold",
]
QUALIFIERS = [
    "tall",
    "rapport",
    "veileder",
    "høring",
    "kostnader",
    "kapasitet",
    "mangel",
    "rutiner",
    "tilsyn",
    "avvik",
    "kritikk",
    "forsinkelser",
    "anbefaling",
    "forskning",
    "prioritering",
    "evaluering",
    "regelverk",
    "tilskudd",
    "kartlegging",
    "utvalg",
]
FIRST = [
    "Ola",
    "Kari",
    "Ingrid",
    "Magnus",
    "Sofie",
    "Jonas",
    "Emma",
    "Lars",
    "Nora",
    "Henrik",
    "Maja",
    "Sindre",
    "Ida",
    "Eirik",
    "Thea",
]
LAST = [
    "Nordmann",
    "Holm",
    "Solberg",
    "Berg",
    "Lunde",
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Haugen",
    "Bakke",
    "Moen",
    "Dahl",
]

_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
"""


def _array(words: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + word + "'" for word in words) + "]"


def load(url: str) -> dict[str, object]:
    """Reference data, journalists, a million enquiries and their messages, in SQL."""
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        # Build the indexes once after the load rather than row by row.
        dropped: list[str] = []
        for table in ("enquiries_enquiry", "enquiries_message", "enquiries_journalist"):
            for name, definition in conn.execute(_INDEXES, [table]).fetchall():
                conn.execute(f'DROP INDEX "{name}"')
                dropped.append(definition)
        conn.execute(
            "INSERT INTO enquiries_topiccategory (name, is_active) "
            "SELECT 'Kategori ' || g, true FROM generate_series(1, 7) g"
        )
        conn.execute(
            "INSERT INTO enquiries_outlet (name, kind, created_at) "  # noqa: S608 (constants)
            f"SELECT 'Medium ' || g, 'newspaper', now() FROM generate_series(1, {OUTLETS}) g"
        )
        conn.execute(  # constants only, no input
            f"""
            INSERT INTO enquiries_journalist
                (first_name, last_name, email, phone, mobile, outlet_id, created_at, updated_at)
            SELECT f, l, lower(f || '.' || l || g || '@medium' || (g % {OUTLETS}) || '.no'),
                   '', '+474' || lpad((1000000 + g * 37)::text, 7, '0'),
                   (SELECT min(id) FROM enquiries_outlet) + g % {OUTLETS}, now(), now()
            FROM generate_series(1, {JOURNALISTS}) g,
                 LATERAL (SELECT ({_array(FIRST)})[1 + g % {len(FIRST)}] AS f,
                                 ({_array(LAST)})[1 + (g / {len(FIRST)}) % {len(LAST)}] AS l) n
            """  # noqa: S608
        )
        conn.execute(  # constants only, no input
            f"""
            INSERT INTO enquiries_enquiry
                (reference, received_at, channel, kind, status, outlet_id, journalist_id, topic,
                 details, deadline, topic_category_id, assigned_to_id, opted_out, created_by_id,
                 created_at, updated_at, answered_at, closed_at, search_vector)
            SELECT 'B-' || lpad(g::text, 8, '0'), r,
                   (ARRAY['phone','email','web_form','social','in_person'])[1 + g % 5],
                   CASE WHEN g % 50 = 0 THEN 'foi' ELSE 'press' END,
                   CASE WHEN g > {ENQUIRIES} - 300 THEN 'new'
                        WHEN g > {ENQUIRIES} - 2000 THEN 'in_progress'
                        WHEN g % 7 = 0 THEN 'answered' ELSE 'closed' END,
                   (SELECT min(id) FROM enquiries_outlet) + j % {OUTLETS},
                   (SELECT min(id) FROM enquiries_journalist) + j,
                   t, 'Journalisten ber om ' || t || ' for region ' || (g % 11) || '.',
                   CASE WHEN g % 3 = 0 THEN r + interval '1 day' END,
                   (SELECT min(id) FROM enquiries_topiccategory) + g % 7,
                   NULL, false, NULL, r, r, NULL, NULL,
                   setweight(to_tsvector('norwegian', t), 'A')
                   || setweight(to_tsvector('simple', t), 'A')
                   || setweight(to_tsvector('norwegian',
                        'Journalisten ber om ' || t || ' for region ' || (g % 11) || '.'), 'B')
            FROM generate_series(1, {ENQUIRIES}) g,
                 LATERAL (SELECT now() - ({ENQUIRIES} - g) * interval '90 seconds' AS r,
                                 (g::bigint * 7919) % {JOURNALISTS} AS j,
                                 ({_array(SUBJECTS)})[1 + g % {len(SUBJECTS)}] || ' '
                                 || ({_array(QUALIFIERS)})[1 + (g / 7) % {len(QUALIFIERS)}] AS t
                         ) v
            """  # noqa: S608
        )
        conn.execute(
            """
            INSERT INTO enquiries_message
                (enquiry_id, direction, sent_at, from_address, to_address, subject, body,
                 message_id, created_at)
            SELECT id, 'out', received_at + interval '2 hours', 'presse@helseetaten.example',
                   '', 'Sv: ' || topic, 'Takk for henvendelsen. Her er svaret.', '', received_at
            FROM enquiries_enquiry WHERE id % 5 = 0
            """
        )
        for definition in dropped:
            conn.execute(definition)
        for table in (
            "enquiries_enquiry",
            "enquiries_message",
            "enquiries_journalist",
            "enquiries_outlet",
        ):
            conn.execute(f"VACUUM ANALYZE {table}")
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("enquiries_enquiry", "enquiries_message", "enquiries_journalist")
        }
        deep = conn.execute(
            "SELECT received_at, id FROM enquiries_enquiry ORDER BY received_at DESC, id DESC "
            "OFFSET %s LIMIT 1",
            [int(ENQUIRIES * 0.9)],
        ).fetchone()
    counts["seconds"] = round(time.monotonic() - started, 1)
    counts["deep"] = deep
    return counts


_SESSION = """
from django.contrib.auth.models import Group, User
from django.test import Client
user = User.objects.create_user("bench-officer", password=None)
user.groups.add(Group.objects.get(name="Press officers"))
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value)
"""


def officer_session(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _SESSION],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def post(host: str, port: int, path: str, body: dict[str, str], headers: dict[str, str]):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(
            "POST",
            path,
            body=urllib.parse.urlencode(body),
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _csrf(host: str, port: int, session: str) -> tuple[str, str]:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/desk/", headers={"Cookie": f"sessionid={session}"})
    response = conn.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    conn.close()
    if not (cookie and token):
        msg = "no CSRF cookie or token on /desk/"
        raise RuntimeError(msg)
    return cookie.group(1), token.group(1)


def _checked(result: tuple[int, bytes], expect: bytes | None = None) -> None:
    status, body = result
    if status != 200 or (expect is not None and expect not in body):
        msg = f"unexpected answer {status}: {body[:200]!r}"
        raise RuntimeError(msg)


def run() -> None:
    keep = os.environ.get("BENCH_KEEP_DB") == "1"
    with bench_database(DATABASE, keep=keep) as url:
        print(f"loading {ENQUIRIES:,} enquiries …", flush=True)
        loaded = load(url)
        deep_at, deep_id = loaded.pop("deep")
        print(f"loaded {loaded}", flush=True)
        env = production_env(url)
        session = officer_session(env)
        with gunicorn(env) as (host, port):
            cookie_token, form_token = _csrf(host, port, session)
            headers = {"Cookie": f"sessionid={session}; csrftoken={cookie_token}"}
            micros = (
                deep_at
                - deep_at.replace(
                    year=1970, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
                )
            ).total_seconds()
            cursor = f"{round(micros * 1_000_000)}-{deep_id}"

            def page(path: str, expect: bytes = b"desk-queue"):
                return lambda: _checked(get(host, port, path, headers), expect)

            def search(text: str):
                body = {"q": text, "csrfmiddlewaretoken": form_token}
                return lambda: _checked(post(host, port, "/desk/search/", body, headers), b"<mark>")

            bare = timed(lambda: get(host, port, "/bench/bare"), runs=RUNS * 2)
            report("bare Django view", bare)
            # The officer's landing page, served from the page cache after the first load
            # (the deep and filtered pages below are rendered every time).
            report("queue: first page /desk/", timed(page("/desk/"), runs=RUNS), bare)
            report(
                "queue: deep page (90% down)",
                timed(page(f"/desk/?after={cursor}"), runs=RUNS),
                bare,
            )
            report(
                "queue: filtered (e-mail, closed)",
                timed(page("/desk/?channel=email&status=closed"), runs=RUNS),
                bare,
            )
            report("search: topic word 'ventetid'", timed(search("ventetid"), runs=RUNS), bare)
            report("search: name fragment 'nordm'", timed(search("nordm"), runs=RUNS), bare)
            report(
                "bare Django view (again)",
                timed(lambda: get(host, port, "/bench/bare"), runs=RUNS * 2),
            )
