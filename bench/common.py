"""Shared pieces for the benchmarks: a throw-away PostgreSQL database, gunicorn with
production settings, and latency measurement beside the bare Django view (/bench/bare)."""

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, no TLS redirect (there is no proxy)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "bench-" + "q" * 50,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PRESSDESK_SSL_REDIRECT": "false",
        "PRESSDESK_SECURE_COOKIES": "false",
        "PRESSDESK_BENCH_BARE_VIEW": "true",
        "PRESSDESK_LOG_LEVEL": "WARNING",
        "PRESSDESK_VAR_DIR": str(ROOT / "var" / "bench"),
        **extra,
    }


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def database_name(purpose: str) -> str:
    """pressdesk_bench_<purpose>_<pid>_<timestamp>: two runs never share (or drop) one."""
    return f"pressdesk_bench_{purpose}_{os.getpid()}_{time.strftime('%Y%m%d%H%M%S')}"


def database_exists(name: str) -> bool:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


@contextlib.contextmanager
def bench_database(purpose: str, *, reusable: bool = False) -> Iterator[tuple[str, bool]]:
    """A fresh, migrated PostgreSQL database of this run's own; yields (url, reused).

    Dropped afterwards unless BENCH_KEEP_DB=1 (its name is printed). With reusable=True and
    BENCH_DB=<name> a kept database is used as it is (reused=True) and never dropped.
    """
    reuse = os.environ.get("BENCH_DB", "") if reusable else ""
    if reuse:
        if not database_exists(reuse):
            msg = f"BENCH_DB={reuse}: no such database"
            raise RuntimeError(msg)
        print(f"reusing database {reuse} (BENCH_DB)", flush=True)
        yield f"{PG_SERVER}/{reuse}", True
        return
    name = database_name(purpose)
    keep = os.environ.get("BENCH_KEEP_DB") == "1"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"database {name}", flush=True)
    url = f"{PG_SERVER}/{name}"
    try:
        manage("migrate", "--no-input", "-v0", env=production_env(url))
        yield url, False
    finally:
        if keep:
            print(f"kept database {name}: reuse it with BENCH_DB={name}", flush=True)
        else:
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 3) -> Iterator[tuple[str, int]]:
    """gunicorn serving the app with production settings; yields (host, port)."""
    manage("collectstatic", "--no-input", "-v0", env=env)
    # BENCH_PORT pins the port (a machine shared by several benches may give each a range).
    port = int(os.environ.get("BENCH_PORT") or free_port())
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pressdesk.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = get("127.0.0.1", port, "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                msg = "gunicorn did not answer /healthz within 30 s"
                raise RuntimeError(msg)
            time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(
    host: str, port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def timed(call: Callable[[], object], *, runs: int, warmup: int = 5) -> dict[str, float]:
    """p50/p95/max in milliseconds of `call`, run one after another."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[int(len(samples) * 0.95) - 1],
        "max": samples[-1],
    }


def report(label: str, figures: dict[str, float], baseline: dict[str, float] | None = None) -> None:
    line = f"{label:<42} p50 {figures['p50']:7.2f} ms  p95 {figures['p95']:7.2f} ms"
    if baseline:
        line += f"   ({figures['p50'] / baseline['p50']:.1f}x bare p50)"
    print(line, flush=True)
