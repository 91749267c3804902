"""The README's reverse proxy (docs/deploy/nginx-pressdesk.conf), tested (issue #16 item 5):
clients that trickle their request bodies tie up nginx connections, never gunicorn's one
sync worker, so the site keeps answering; a body over the limit is refused before gunicorn
sees it. Checked that it can fail: the same slow clients sent straight at gunicorn leave
the next request unanswered."""

import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.mail import free_port
from tests.outage import collect_static, server_env
from tests.tasks.helpers import ROOT, wait_for, worker_database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SITE = ROOT / "docs" / "deploy" / "nginx-pressdesk.conf"
SLOW_CLIENTS = 12


def _nginx_conf(directory: Path, *, port: int, upstream: int) -> Path:
    site = SITE.read_text()
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};")
    site = site.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")
    (directory / "site.conf").write_text(site)
    main = directory / "nginx.conf"
    temp = " ".join(
        f"{kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main.write_text(
        f"daemon off; master_process off; pid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{ access_log off; {temp} include {directory / 'site.conf'}; }}\n"
    )
    return main


def _answers(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _slow_body(port: int) -> socket.socket:
    """A POST that announces 1,000 bytes of body and sends one: it never finishes."""
    client = socket.create_connection(("127.0.0.1", port), timeout=5)
    client.sendall(
        b"POST /enquiry/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nx"
    )
    return client


def test_slow_bodies_stall_nginx_not_gunicorn_and_big_bodies_are_refused(tmp_path):
    # Fails rather than skips without nginx: a skipped test would pass a machine that never ran it.
    assert shutil.which("nginx"), "this test needs nginx: apt-get install nginx (.ci/run does)"
    collect_static(tmp_path)
    upstream, port = free_port(), free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pressdesk.wsgi", "-b",
         f"127.0.0.1:{upstream}", "-w", "1", "--timeout", "60"],
        cwd=ROOT, env=server_env(tmp_path, database_url=worker_database_url()),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    directory = Path(tempfile.mkdtemp(prefix="pressdesk-nginx-"))
    conf = _nginx_conf(directory, port=port, upstream=upstream)
    nginx = subprocess.Popen(
        ["nginx", "-p", str(directory), "-c", str(conf)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    slow: list[socket.socket] = []
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(f"{base}/healthz") == 200, timeout=60, what="nginx + gunicorn")
        slow = [_slow_body(port) for _ in range(SLOW_CLIENTS)]
        # gunicorn's only worker is free: the slow bodies are still with nginx.
        assert _answers(f"{base}/enquiry/") == 200
        assert _answers(f"{base}/privacy/") == 200

        big = urllib.request.Request(  # noqa: S310 (loopback)
            f"{base}/enquiry/", data=b"x" * (4 * 1024 * 1024), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        try:
            urllib.request.urlopen(big, timeout=20)  # noqa: S310
            refused = 200
        except urllib.error.HTTPError as error:
            refused = error.code
        except OSError:  # nginx may close the connection while the body is still sent
            refused = 413
        assert refused == 413
    finally:
        for client in slow:
            client.close()
        nginx.terminate()
        gunicorn.terminate()
        nginx.communicate(timeout=30)
        gunicorn.communicate(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)
