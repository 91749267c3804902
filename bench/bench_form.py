"""The public enquiry form under load: valid submissions, each with its own CSRF token and a
fill time over the minimum, against gunicorn with production settings on PostgreSQL and Redis,
beside the bare Django view at the same concurrency.

Target on this 2-core machine: at least 150 submissions/s with p95 under 100 ms.

make bench BENCH=bench_form     (BENCH_FORM_SUBMISSIONS=3000, BENCH_FORM_THREADS=8)
"""

import http.client
import os
import re
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from bench.common import bench_database, gunicorn, production_env

SUBMISSIONS = int(os.environ.get("BENCH_FORM_SUBMISSIONS", "3000"))
THREADS = int(os.environ.get("BENCH_FORM_THREADS", "8"))
_local = threading.local()


def _connection(port: int) -> http.client.HTTPConnection:
    if getattr(_local, "conn", None) is None:
        _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    return _local.conn


def _request(port: int, method: str, path: str, body: str | None = None, headers=None):  # type: ignore[no-untyped-def]
    conn = _connection(port)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read()
    except (http.client.HTTPException, OSError):
        _local.conn = None
        raise


def _fetch_form(port: int) -> tuple[str, str]:
    status, cookie, html = _request(port, "GET", "/enquiry/")
    assert status == 200, status
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    page = html.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    stamp = re.search(r'name="stamp" value="([^"]+)"', page).group(1)
    return csrf_cookie, urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "stamp": stamp, "first_name": "Ola", "last_name": "Last",
         "outlet": "VG", "email": "last@vg.no", "mobile": "400 33 431",
         "topic": "Lasttest av skjemaet", "question": "Tåler skjemaet mange på én gang?"}
    )  # fmt: skip


def _submit(port: int, form: tuple[str, str]) -> float:
    cookie, body = form
    started = time.perf_counter()
    status, _, _ = _request(
        port, "POST", "/enquiry/", body,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
    )  # fmt: skip
    assert status == 302, status
    return (time.perf_counter() - started) * 1000


def _bare(port: int, _: object) -> float:
    started = time.perf_counter()
    status, _, _ = _request(port, "GET", "/bench/bare")
    assert status == 200
    return (time.perf_counter() - started) * 1000


def _load(port: int, call, items: list) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        samples = list(pool.map(lambda item: call(port, item), items))
    return time.perf_counter() - started, sorted(samples)


def _line(label: str, seconds: float, samples: list[float]) -> str:
    p95 = samples[int(len(samples) * 0.95) - 1]
    return (f"{label:<34} {len(samples) / seconds:7.0f}/s  p50 {statistics.median(samples):6.1f} ms"
            f"  p95 {p95:6.1f} ms")  # fmt: skip


def run() -> None:
    env = production_env(
        "",
        PRESSDESK_FORM_RATE_PER_MINUTE="100000000",
        PRESSDESK_FORM_RATE_PER_DAY="100000000",
    )
    with bench_database("pressdesk_bench_form") as url:
        env["DATABASE_URL"] = url
        with gunicorn(env, workers=3) as (_host, port):
            with ThreadPoolExecutor(THREADS) as pool:  # forms shown first, like people reading
                forms = list(pool.map(lambda _: _fetch_form(port), range(SUBMISSIONS)))
            time.sleep(2.5)  # every form has been open longer than the 2-second minimum
            bare_seconds, bare = _load(port, _bare, list(range(SUBMISSIONS)))
            seconds, submitted = _load(port, _submit, forms)
        print(_line("bare Django view", bare_seconds, bare))
        print(_line("enquiry form submissions", seconds, submitted))
        print(f"{THREADS} clients; target: at least 150 submissions/s with p95 under 100 ms",
              flush=True)  # fmt: skip
