"""Load generators: wrk (closed loop, -t2 -c8 --latency) and one request at a time."""

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

WRK_THREADS = 2
WRK_CONNECTIONS = 8
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
WARMUP_SECONDS = 2

# wrk's own summary, as one JSON line; errors are non-2xx/3xx answers and socket errors.
_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %.3f, "p50": %.3f, "p90": %.3f, "p99": %.3f,'
    .. ' "bad_status": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_request(*, method: str, headers: dict[str, str], body: str | None) -> str:
    lines = [f'wrk.method = "{method}"']
    for name, value in headers.items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    if body is not None:
        lines.append(f"wrk.body = [[{body}]]")
    return "\n".join(lines) + "\n" + _DONE


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        msg = "the benchmark needs wrk: sudo apt-get install -y wrk"
        raise RuntimeError(msg)
    return found


def wrk(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | None = None,
    seconds: int = WRK_SECONDS,
    warmup: int = WARMUP_SECONDS,
) -> dict[str, float]:
    """req/s and latency percentiles (ms) of a closed loop of 8 connections on 2 threads."""
    with tempfile.TemporaryDirectory() as work:
        script = Path(work) / "page.lua"
        script.write_text(lua_request(method=method, headers=headers or {}, body=body))
        command = [
            require_wrk(),
            f"-t{WRK_THREADS}",
            f"-c{WRK_CONNECTIONS}",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ]
        if warmup:
            subprocess.run([*command[:1], f"-d{warmup}s", *command[1:]], capture_output=True)
        done = subprocess.run(
            [*command[:1], f"-d{seconds}s", *command[1:]],
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"WRKJSON (\{.*\})", done.stdout)
    if found is None:
        msg = f"no result from wrk: {done.stdout} {done.stderr}"
        raise RuntimeError(msg)
    figures = json.loads(found.group(1))
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def request(
    host: str,
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        headers: dict[str, str] = {}
        for name, value in response.getheaders():  # every Set-Cookie, not only the last
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return response.status, headers, response.read()
    finally:
        conn.close()


def one_at_a_time(
    call, *, runs: int = 100, max_seconds: float = 4.0, warmup: int = 3
) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """p50/p95/p99 (ms) of `call` run one after another: `runs` times or `max_seconds`."""
    for _ in range(warmup):
        call()
    samples: list[float] = []
    deadline = time.monotonic() + max_seconds
    while len(samples) < runs and (len(samples) < 10 or time.monotonic() < deadline):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()

    def pct(p: float) -> float:
        return samples[min(len(samples) - 1, max(0, round(p * len(samples)) - 1))]

    return {
        "n": len(samples),
        "p50": statistics.median(samples),
        "p95": pct(0.95),
        "p99": pct(0.99),
    }
