"""Real processes for the tests that are about processes: a Celery worker (with beat), and
a management command run the way cron or an operator would."""

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from kombu import pools as kombu_pools

ROOT = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    """The test database (created by pytest-django, one per xdist worker) as a URL."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def private_redis_url() -> str:
    """A Redis database of this xdist worker's own, so workers never take each other's tasks."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = 8 + int(worker.removeprefix("gw") or 0) % 6
    return settings.REDIS_URL.rsplit("/", 1)[0] + f"/{number}"


def process_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": private_redis_url(),
        "PRESSDESK_LOG_LEVEL": "WARNING",
        **extra,
    }


def start(args: list[str], **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=process_env(**extra),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            msg = f"timed out after {timeout} s waiting for {what}"
            raise AssertionError(msg)
        time.sleep(0.05)


@contextmanager
def publishing_to(broker_url: str) -> Iterator[None]:
    """Tasks this test process queues (on commit, as the app does) go to `broker_url`: the
    private Redis its worker listens on, instead of the suite's shared one."""
    from pressdesk.celery import app

    def repoint(url: str) -> None:
        app.conf.broker_url = url
        # Connections and producers for the old broker (Celery's and kombu's global
        # registry of pools): closed, and forgotten.
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        kombu_pools.reset()
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    repoint(broker_url)
    try:
        yield
    finally:
        repoint(previous)


def start_worker(broker_url: str, tmp_path: Path, **extra: str) -> subprocess.Popen[bytes]:
    """A Celery worker with beat on `broker_url`, its schedule file under `tmp_path`."""
    return start(
        ["-m", "celery", "-A", "pressdesk", "worker", "--beat", "--concurrency", "2",
         "--loglevel", "WARNING", "--schedule", str(tmp_path / "beat")],
        REDIS_URL=broker_url, **extra,
    )  # fmt: skip


def stop(process: subprocess.Popen[bytes]) -> str:
    """Stop the process and return what it printed (for a failing assertion's message)."""
    process.terminate()
    return process.communicate(timeout=30)[0].decode(errors="replace")
