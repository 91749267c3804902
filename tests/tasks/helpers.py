"""Real processes for the tests that are about processes: a Celery worker (with beat), and
a management command run the way cron or an operator would."""

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings
from kombu import pools as kombu_pools

from tests.mail import free_port

ROOT = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    """The test database (created by pytest-django, one per xdist worker) as a URL."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class PrivateRedis:
    """A redis-server of this xdist worker's own (no persistence, its own directory), so
    Celery workers in tests never share a broker with another test or another suite. Each
    test takes a database nobody has used (`fresh_url`): nothing is ever flushed."""

    DATABASES = 1000

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self._next_database = 0

    def __enter__(self) -> "PrivateRedis":
        # A free port can be taken between looking and binding: then redis-server exits,
        # and another port is tried.
        for _attempt in range(5):
            self.port = free_port()
            self.process = subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                 "--save", "", "--appendonly", "no", "--dir", str(self.directory),
                 "--databases", str(self.DATABASES)],
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            )  # fmt: skip
            client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
            deadline = time.monotonic() + 10
            while self.process.poll() is None and time.monotonic() < deadline:
                try:
                    client.ping()
                    return self
                except redis.ConnectionError:
                    time.sleep(0.02)  # a poll interval: we wait for the server's PONG

            self.__exit__()
        msg = "could not start a private redis-server on loopback"
        raise RuntimeError(msg)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def fresh_url(self) -> str:
        self._next_database += 1
        assert self._next_database < self.DATABASES, "out of private Redis databases"
        return f"redis://127.0.0.1:{self.port}/{self._next_database}"


def process_env(*, redis_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "PRESSDESK_LOG_LEVEL": "WARNING",
        **extra,
    }


def start(args: list[str], *, redis_url: str, **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=process_env(redis_url=redis_url, **extra),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            msg = f"timed out after {timeout} s waiting for {what}"
            raise AssertionError(msg)
        time.sleep(0.05)  # a poll interval between looks at the condition, bounded above


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


class Worker:
    """A Celery worker (with beat unless `beat=False`) on `broker_url`, its log read as it
    runs (at INFO: a line when a task is received, one when it ends), so a test waits on
    what the worker has done rather than for a while."""

    # How Celery's trace logs the end of a delivery.
    ENDED = r"(succeeded in|retry:|raised|ignored|rejected)"

    def __init__(self, broker_url: str, tmp_path: Path, *, concurrency: int = 2,
                 beat: bool = True, **extra: str) -> None:  # fmt: skip
        self.broker_url = broker_url
        args = ["-m", "celery", "-A", "pressdesk", "worker", "--concurrency", str(concurrency),
                "--loglevel", "INFO"]  # fmt: skip
        if beat:
            args += ["--beat", "--schedule", str(tmp_path / "beat")]
        self.process = start(args, redis_url=broker_url, **extra)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.decode(errors="replace"))

    def _count(self, task: str, outcome: str) -> int:
        pattern = re.compile(rf"Task {task}\[[0-9a-f-]+\] {outcome}")
        return sum(1 for line in list(self.lines) if pattern.search(line))

    def ready(self) -> bool:
        """The worker has connected to the broker and takes tasks."""
        return any(" ready." in line for line in list(self.lines))

    def ended(self, task: str) -> int:
        """How many deliveries of `task` have run to an end (done, retried or failed)."""
        return self._count(re.escape(task), self.ENDED)

    def idle(self) -> bool:
        """Every task the worker received has ended, and the broker holds nothing more: no
        message queued, none fetched but unacknowledged (a retry's countdown included)."""
        received = self._count(r"[\w.]+", "received")
        client = redis.Redis.from_url(self.broker_url)
        return (
            received == self._count(r"[\w.]+", self.ENDED)
            and client.llen("celery") == 0
            and client.hlen("unacked") == 0
        )

    def stop(self) -> str:
        """Stop the worker and return what it printed (for a failing assertion's message)."""
        self.process.terminate()
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)
        return "".join(self.lines)
