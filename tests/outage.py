"""gunicorn with production settings, its database reached through a proxy the test can cut:
PostgreSQL going away under a running site, for the outage pages and the browser's view of
them."""

import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.mail import free_port
from tests.proxy import CuttableProxy
from tests.tasks.helpers import ROOT, process_env, wait_for, worker_database_url


def server_env(var_dir: Path, *, database_url: str) -> dict[str, str]:
    env = process_env(
        redis_url="",
        DATABASE_URL=database_url,
        PRESSDESK_VAR_DIR=str(var_dir),
        PRESSDESK_FORM_MIN_SECONDS="0",
        DEBUG="false",
        PRESSDESK_SECURE_COOKIES="false",
    )
    env.pop("REDIS_URL")
    return env


def collect_static(var_dir: Path) -> None:
    """Production serves hashed static files (manifest storage): collect them, as a deploy
    does."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT, env=server_env(var_dir, database_url=worker_database_url()), check=True,
    )  # fmt: skip


@dataclass
class Site:
    base: str
    proxy: CuttableProxy
    output: str = ""  # what gunicorn printed, once it has stopped


@contextmanager
def site_through_cuttable_proxy(var_dir: Path) -> Iterator[Site]:
    collect_static(var_dir)
    database = worker_database_url()
    proxy = CuttableProxy(("127.0.0.1", int(database.rsplit(":", 1)[1].split("/")[0])))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pressdesk.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", "1", "--timeout", "30"],
        cwd=ROOT,
        env=server_env(var_dir, database_url=re.sub(r":\d+/", f":{proxy.port}/", database)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    site = Site(base=f"http://127.0.0.1:{port}", proxy=proxy)

    def up() -> bool:
        try:
            with urllib.request.urlopen(site.base + "/healthz", timeout=20) as response:  # noqa: S310
                return response.status == 200
        except OSError:  # not listening yet, refused, or slow to answer on a loaded machine
            return False

    try:
        wait_for(up, timeout=60, what="gunicorn serving, with the database through the proxy")
        yield site
    finally:
        server.terminate()
        site.output = server.communicate(timeout=30)[0].decode(errors="replace")
        proxy.cut()
