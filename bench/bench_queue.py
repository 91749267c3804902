"""The desk at scale, as officers feel it: every page under a closed loop (wrk -t2 -c8
--latency, after a warm-up) and one request at a time, beside the bare Django view measured
in the same run, with the SQL queries each page makes; the public form (GET, and valid
POSTs counted exactly); and a mixed run in which an officer changes an enquiry every second
while wrk reads (there is no page cache: every page is rendered).

gunicorn runs 3 sync workers with production settings (DEBUG off, no TLS redirect, no
access log) on a database of BENCH_SCALE enquiries (default 1,000,000) loaded by
bench/seed.py. Results go to bench/results/desk-<timestamp>.json; `python -m bench.summarise`
turns them into docs/PERFORMANCE.md.

make bench BENCH=bench_queue                        # seed 1,000,000 and measure
BENCH_SCALE=10000 make bench BENCH=bench_queue      # a quick look
BENCH_KEEP_DB=1 make bench BENCH=bench_queue        # keep the database (its name is printed)
BENCH_DB=pressdesk_bench_desk_… make bench BENCH=bench_queue   # measure a kept one again
"""

import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.common import ROOT, bench_database, gunicorn, manage, production_env
from bench.formload import CLIENT_IP_META, Poster
from bench.load import WRK_CONNECTIONS, WRK_SECONDS, one_at_a_time, request, require_wrk, wrk
from bench.seed import seed

SCALE = int(os.environ.get("BENCH_SCALE", "1000000"))
RESULTS = ROOT / "bench" / "results"


class BenchFailure(RuntimeError):
    pass


def django_side(env: dict[str, str], *args: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-m", "bench.django_side", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    found = re.search(r"DJANGOJSON (.*)", done.stdout)
    if done.returncode or found is None:
        msg = f"bench.django_side {args[0]} failed:\n{done.stdout}\n{done.stderr}"
        raise BenchFailure(msg)
    return json.loads(found.group(1))


def machine() -> dict[str, object]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    vmstat = subprocess.run(["vmstat", "1", "4"], capture_output=True, text=True).stdout
    rows = [line.split() for line in vmstat.splitlines()[3:]]  # skip the since-boot line
    idle = [int(row[14]) for row in rows if len(row) > 14]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
        "cpu_idle_percent_before": round(sum(idle) / len(idle)) if idle else None,
        "postgres": _server_version(),
    }


def _server_version() -> str:
    from bench.common import PG_SERVER

    with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def _seed_info(url: str, reused: bool) -> dict[str, object]:
    with psycopg.connect(url, autocommit=True) as conn:
        if reused:
            return conn.execute("SELECT info FROM bench_seed_info").fetchone()[0]
        print(f"seeding {SCALE:,} enquiries with COPY …", flush=True)
        seeded = seed(url, scale=SCALE)
        info = dict(seeded.__dict__)
        conn.execute("CREATE TABLE bench_seed_info (info jsonb)")
        conn.execute("INSERT INTO bench_seed_info VALUES (%s)", [psycopg.types.json.Jsonb(info)])
        return info


def _deep_cursor(url: str, total: int) -> str:
    """The keyset cursor (queue `?after=<µs since epoch>-<id>`) about 90 % down the queue."""
    with psycopg.connect(url) as conn:
        micros, pk = conn.execute(
            "SELECT (extract(epoch FROM received_at) * 1000000)::bigint, id"
            " FROM enquiries_enquiry ORDER BY received_at DESC, id DESC OFFSET %s LIMIT 1",
            [int(total * 0.9)],
        ).fetchone()
    return f"{micros}-{pk}"


def _desk_csrf(host: str, port: int, session: str) -> tuple[str, str]:
    status, headers, html = request(host, port, "GET", "/desk/", headers=_cookie(session, ""))
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if status != 200 or not (cookie and token):
        msg = f"the officer's session does not open /desk/ ({status})"
        raise BenchFailure(msg)
    return cookie.group(1), token.group(1).decode()


def _cookie(session: str, csrf: str) -> dict[str, str]:
    return {"Cookie": f"sessionid={session}; csrftoken={csrf}"}


def pages(info: dict, deep: str) -> list[dict[str, object]]:  # type: ignore[type-arg]
    def search(
        key: str, label: str, text: str, expect: str = "", path: str = "/desk/search/"
    ) -> dict[str, object]:
        url = f"{path}?{urllib.parse.urlencode({'q': text})}"  # a GET: bookmarkable (#19)
        return {"key": key, "label": label, "method": "GET", "path": url, "who": "officer",
                "expect": expect}  # fmt: skip

    # The read audit's cost: each queue and search page is followed by its twin without the
    # audit's write (pressdesk/bench_views.py), measured right after it under the same load.
    unaudited = " — without the read audit"

    def get(key: str, label: str, path: str, who: str = "officer", expect: str = "") -> dict:  # type: ignore[type-arg]
        return {"key": key, "label": label, "method": "GET", "path": path, "who": who,
                "expect": expect}  # fmt: skip

    queue_pages = [
        ("queue_first", "queue, first page (rendered)", ""),
        ("queue_deep", "queue, deep page (90 % down, keyset)", f"?after={deep}"),
        ("queue_filtered", "queue, filtered (e-mail, closed)", "?channel=email&status=closed"),
    ]
    searches = [
        ("search_topic", 'search, topic word "ventetid"', "ventetid", "<mark>"),
        ("search_name", 'search, part of a name "nordm"', "nordm", ""),
        ("search_email", "search, a journalist's full e-mail", info["busy_journalist_email"], ""),
        ("search_phone", f'search, a phone number "{info["phone"]}"', info["phone"], ""),
        ("search_part", 'search, part of a compound "beredskap"', "beredskap", ""),
    ]
    return [
        *[
            page
            for key, label, query in queue_pages
            for page in (
                get(key, label, f"/desk/{query}"),
                get(f"{key}_unaudited", label + unaudited, f"/bench/unaudited/desk/{query}"),
            )
        ],
        *[
            page
            for key, label, text, expect in searches
            for page in (
                search(key, label, text, expect),
                search(
                    f"{key}_unaudited",
                    label + unaudited,
                    text,
                    expect,
                    path="/bench/unaudited/search/",
                ),
            )
        ],
        get(
            "enquiry_newest",
            "enquiry page, the newest",
            f"/desk/enquiries/{info['newest_enquiry']}/",
        ),
        get(
            "enquiry_heavy",
            "enquiry page, 1,000 audit events + 200 messages",
            f"/desk/enquiries/{info['heavy_enquiry']}/",
        ),
        get(
            "journalist_busy",
            "journalist card, 1,000 enquiries",
            f"/desk/journalists/{info['busy_journalist']}/",
        ),
        get(
            "reports_last_year",
            "reports, last year (about a third of the enquiries)",
            "/desk/reports/?period=last_year",
            expect="<svg",
        ),
        get(
            "journalist_busy_auditor",
            "journalist card, 1,000 enquiries, as an auditor (who has read it, 90 days)",
            f"/desk/journalists/{info['busy_journalist']}/",
            who="auditor",
            expect="readers-heading",
        ),
        get("form_get", "public form, GET", "/enquiry/", who="public", expect="stamp"),
    ]


def _measure_page(page, host, port, session, csrf, token) -> dict[str, object]:  # type: ignore[no-untyped-def]
    # `session` is the officer's, or a dict of sessions by who ("officer", "auditor").
    sessions = session if isinstance(session, dict) else {"officer": session}
    headers = _cookie(sessions[page["who"]], csrf) if page["who"] in sessions else {}
    body = None
    if page["method"] == "POST":
        body = urllib.parse.urlencode({**page["data"], "csrfmiddlewaretoken": token})
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    status, _h, html = request(host, port, page["method"], page["path"], headers=headers, body=body)
    if status != 200 or page["expect"].encode() not in html:
        msg = f"{page['label']}: {status}, {page['expect']!r} not in the answer"
        raise BenchFailure(msg)
    closed = wrk(
        f"http://{host}:{port}{page['path']}", method=page["method"], headers=headers, body=body
    )
    if closed["bad_status"] or closed["socket_errors"]:
        msg = f"{page['label']}: wrk saw errors {closed}"
        raise BenchFailure(msg)
    single = one_at_a_time(
        lambda: request(host, port, page["method"], page["path"], headers=headers, body=body)
    )
    return {"wrk": closed, "single": single}


def _bare(host: str, port: int) -> dict[str, object]:
    return {
        "wrk": wrk(f"http://{host}:{port}/bench/bare"),
        "single": one_at_a_time(lambda: request(host, port, "GET", "/bench/bare"), runs=300),
    }


def _stored(url: str, keys: list[str]) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM enquiries_enquiry WHERE submission_key = ANY(%s)", [keys]
        ).fetchone()[0]


def _journalists_with(url: str, emails: list[str]) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM enquiries_journalist WHERE email = ANY(%s)", [emails]
        ).fetchone()[0]


def form_posts(url: str, env: dict[str, str], host: str, port: int, info: dict) -> dict:  # type: ignore[type-arg]
    """Valid submissions from distinct addresses: closed loop, then one at a time; exact."""
    poster = Poster(
        host=host, port=port, secret_key=env["SECRET_KEY"], known_emails=info["known_emails"]
    )
    for _ in range(5):
        poster.post_one()  # warm-up
    closed = poster.closed_loop(connections=WRK_CONNECTIONS, seconds=WRK_SECONDS)
    single = one_at_a_time(poster.post_one, runs=60, warmup=0)
    stored = _stored(url, poster.keys)
    new_found = _journalists_with(url, sorted(poster.new_emails))
    result = {
        "wrk": closed,
        "single": single,
        "sent": poster.sent,
        "answers": {str(k): v for k, v in poster.answers.items()},
        "stored": stored,
        "new_addresses": len(poster.new_emails),
        "new_journalists_found": new_found,
        "client": "Python closed loop, 8 threads (exact counts; see bench/formload.py)",
    }
    print(
        f"form POSTs: {poster.sent} valid submissions sent from as many addresses, "
        f"{stored} enquiries stored; answers {poster.answers}; "
        f"{new_found} of {len(poster.new_emails)} new journalists stored",
        flush=True,
    )
    if stored != poster.sent or poster.answers != {302: poster.sent}:
        msg = f"form: {poster.sent} valid submissions sent but {stored} stored ({poster.answers})"
        raise BenchFailure(msg)
    if new_found != len(poster.new_emails):
        msg = f"form: {len(poster.new_emails)} new journalists sent, {new_found} stored"
        raise BenchFailure(msg)
    return result


def mixed(url: str, info: dict, session: str, deep: str) -> dict[str, object]:  # type: ignore[type-arg]
    """An officer changes the newest enquiry every second while the pages are read."""
    env = production_env(url, PRESSDESK_CLIENT_IP_HEADER=CLIENT_IP_META)
    with gunicorn(env) as (host, port):
        csrf, token = _desk_csrf(host, port, session)
        headers = {**_cookie(session, csrf), "Content-Type": "application/x-www-form-urlencoded"}
        newest = info["newest_enquiry"]
        stop = threading.Event()
        writes: list[tuple[int, float]] = []

        def writer() -> None:
            statuses = ["in_progress", "answered"]
            while not stop.is_set():
                body = urllib.parse.urlencode(
                    {"status": statuses[len(writes) % 2], "csrfmiddlewaretoken": token}
                )
                start = time.perf_counter()
                status, _h, _b = request(
                    host,
                    port,
                    "POST",
                    f"/desk/enquiries/{newest}/status/",
                    headers=headers,
                    body=body,
                )
                writes.append((status, (time.perf_counter() - start) * 1000))
                stop.wait(1.0)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            figures = {"bare": {"wrk": wrk(f"http://{host}:{port}/bench/bare")}}
            reads = [p for p in pages(info, deep) if p["key"] in
                     {"queue_first", "enquiry_newest", "search_topic"}]  # fmt: skip
            for page in reads:
                figures[page["key"]] = _measure_page(page, host, port, session, csrf, token)
                print(
                    f"  mixed: {page['label']}: {figures[page['key']]['wrk']['rps']:.0f}/s",
                    flush=True,
                )
        finally:
            stop.set()
            thread.join()
    bad = [status for status, _ms in writes if status != 302]
    if bad:
        msg = f"mixed run: status changes answered {bad}"
        raise BenchFailure(msg)
    figures["writes"] = {
        "count": len(writes),
        "p50_ms": sorted(ms for _s, ms in writes)[len(writes) // 2],
    }
    return figures


def run() -> None:
    require_wrk()
    started = datetime.now(UTC)
    result: dict[str, object] = {
        "name": "desk",
        "started": started.isoformat(timespec="seconds"),
        "command": f"BENCH_SCALE={SCALE} make bench BENCH=bench_queue",
        "git": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "machine": machine(),
        "protocol": "gunicorn -w 3 (sync), DEBUG off, no access log; wrk -t2 -c8 -d10s "
        "--latency after a 2 s warm-up; one at a time: 100 requests or 4 s",
    }
    with bench_database("desk", reusable=True) as (url, reused):
        info = _seed_info(url, reused)
        result["seed"] = {k: v for k, v in info.items() if k != "known_emails"}
        print(f"loaded {result['seed']}", flush=True)
        env = production_env(
            url,
            PRESSDESK_CLIENT_IP_HEADER=CLIENT_IP_META,
        )
        if not reused:
            checked = django_side(env, "vectors", "200")
            print(f"search vectors: {checked}", flush=True)
            if checked["different"]:
                msg = f"loaded search vectors differ from the app's own: {checked}"
                raise BenchFailure(msg)
        session = django_side(env, "session")["session"]
        auditor = django_side(env, "session", "auditor")["session"]
        deep = _deep_cursor(url, info["enquiries"])
        listed = pages(info, deep)
        form_post = {"key": "form_post", "label": "public form, valid POST", "method": "POST",
                     "path": "/enquiry/", "who": "public",
                     "data": {"first_name": "Kari", "last_name": "Telling", "outlet": "VG",
                              "topic": "Ventetider", "question": "Hvor lenge?"}}  # fmt: skip
        # The query counts render pages too: the manifest must exist before gunicorn's turn.
        manage("collectstatic", "--no-input", "-v0", env=env)
        queries = django_side(env, "queries", json.dumps([*listed, form_post]))
        figures: dict[str, object] = {}
        with gunicorn(env) as (host, port):
            csrf, token = _desk_csrf(host, port, session)
            figures["bare"] = _bare(host, port)
            print(f"bare view: {figures['bare']['wrk']['rps']:.0f}/s", flush=True)
            for page in listed:
                figures[page["key"]] = _measure_page(
                    page, host, port, {"officer": session, "auditor": auditor}, csrf, token
                )
                print(
                    f"{page['label']}: {figures[page['key']]['wrk']['rps']:.0f}/s, "
                    f"{queries[page['key']]['queries']} queries",
                    flush=True,
                )
            figures["form_post"] = form_posts(url, env, host, port, info)
            figures["bare_after"] = _bare(host, port)
        result["pages"] = [
            {"key": p["key"], "label": p["label"], "method": p["method"], "path": p["path"],
             "queries": queries[p["key"]]["queries"], **figures[p["key"]]}
            for p in [*listed, form_post]
        ]  # fmt: skip
        result["bare"] = figures["bare"]
        result["bare_after"] = figures["bare_after"]
        result["mixed"] = mixed(url, info, session, deep)
        result["audit"] = django_side(env, "audit", "500", str(info["busy_journalist"]))
        print(f"read audit: {result['audit']}", flush=True)
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"desk-{started.strftime('%Y%m%dT%H%M%SZ')}-{SCALE}.json"
    path.write_text(json.dumps(result, indent=1, default=str) + "\n")
    print(f"\nwrote {path.relative_to(ROOT)}", flush=True)
    from bench.summarise import table

    print(table([result]))
