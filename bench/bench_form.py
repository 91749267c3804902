"""The public enquiry form under load: valid submissions, each with its own CSRF token and a
fill time over the minimum, against gunicorn with production settings on PostgreSQL and Redis,
beside the bare Django view at the same concurrency.

The forms are fetched first (as people open them), then wrk posts them, each thread walking
its own slice so every request is a distinct submission; the run checks that the database
holds exactly as many new enquiries as wrk made requests.

Target on this 2-core machine: at least 150 submissions/s with p95 under 100 ms.

make bench BENCH=bench_form     (BENCH_FORM_SUBMISSIONS=4000, BENCH_FORM_SECONDS=8)
"""

import http.client
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

from bench.common import bench_database, gunicorn, production_env

SUBMISSIONS = int(os.environ.get("BENCH_FORM_SUBMISSIONS", "4000"))
SECONDS = int(os.environ.get("BENCH_FORM_SECONDS", "8"))
THREADS = 8  # for fetching the forms
WRK = ["wrk", "-t2", "-c8", f"-d{SECONDS}s"]

WRK_SCRIPT = """
local forms = dofile("%(forms)s")
local next_thread = 0
function setup(thread)
  thread:set("first", next_thread)
  next_thread = next_thread + 1
end
function init(args)
  i = first + 1
end
function request()
  local form = forms[i]
  i = i + 2  -- two threads: each walks its own half, so no form is sent twice
  if form == nil then error("out of forms: raise BENCH_FORM_SUBMISSIONS") end
  return wrk.format("POST", "/enquiry/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. form[1]}, form[2])
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%.3f %%.2f %%.2f %%d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status))
end
"""
BARE_SCRIPT = """
function done(summary, latency, requests)
  io.write(string.format("RESULT %d %.3f %.2f %.2f %d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status))
end
"""
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


def _lua_forms(forms: list[tuple[str, str]], path: Path) -> None:
    rows = ",\n".join(f'{{"{cookie}", [[{body}]]}}' for cookie, body in forms)
    path.write_text("return {\n" + rows + "\n}\n")


def _wrk(url: str, script: Path) -> tuple[int, float, float, float, int]:
    output = subprocess.run(
        [*WRK, "-s", str(script), url], capture_output=True, text=True, check=True
    ).stdout
    requests, seconds, p50, p95, bad = re.search(
        r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+)", output
    ).groups()
    return int(requests), float(seconds), float(p50), float(p95), int(bad)


def _line(label: str, result: tuple[int, float, float, float, int]) -> str:
    requests, seconds, p50, p95, _bad = result
    return f"{label:<34} {requests / seconds:7.0f}/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"


def run() -> None:
    if shutil.which("wrk") is None:
        print("bench_form needs wrk: apt-get install -y wrk")
        return
    env = production_env(
        "",
        PRESSDESK_FORM_RATE_PER_MINUTE="100000000",
        PRESSDESK_FORM_RATE_PER_DAY="100000000",
    )
    work = Path(tempfile.mkdtemp())
    with bench_database("pressdesk_bench_form") as url:
        env["DATABASE_URL"] = url
        with gunicorn(env, workers=3) as (_host, port):
            with ThreadPoolExecutor(THREADS) as pool:  # forms shown first, like people reading
                forms = list(pool.map(lambda _: _fetch_form(port), range(SUBMISSIONS)))
            _lua_forms(forms, work / "forms.lua")
            (work / "form.lua").write_text(WRK_SCRIPT % {"forms": work / "forms.lua"})
            (work / "bare.lua").write_text(BARE_SCRIPT)
            time.sleep(2.5)  # every form has been open longer than the 2-second minimum
            bare = _wrk(f"http://127.0.0.1:{port}/bench/bare", work / "bare.lua")
            form = _wrk(f"http://127.0.0.1:{port}/", work / "form.lua")
        with psycopg.connect(url) as conn:
            stored = conn.execute("SELECT count(*) FROM enquiries_enquiry").fetchone()[0]
    shutil.rmtree(work)
    print(_line("bare Django view", bare))
    print(_line("enquiry form submissions", form))
    print(f"{form[0]} submissions sent, {stored} enquiries stored, {form[4]} non-2xx/3xx answers")
    print("wrk -t2 -c8; target: at least 150 submissions/s with p95 under 100 ms", flush=True)
