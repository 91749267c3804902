"""A private dovecot on loopback for IMAP tests (Debian's dovecot-imapd, see STACK.md), with a
password passdb and an OAuth 2.0 passdb that asks a token introspection endpoint this test
process serves, which also plays the client-credentials token endpoint."""

import imaplib
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.mail import free_port

USER = "presse@helseetaten.no"
PASSWORD = "imap-test-secret"
GOOD_TOKEN = "good-token-1"


class TokenServer:
    """POST /token: a client-credentials token (counted); POST /introspect: dovecot asks
    whether a token is good."""

    def __init__(self, *, expires_in: int = 3600) -> None:
        self.expires_in = expires_in
        self.issued = 0
        self.good = {GOOD_TOKEN}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                if self.path == "/token":
                    if form.get("client_secret") != ["client-secret"]:
                        self._answer(401, {"error": "invalid_client"})
                        return
                    server.issued += 1
                    token = f"good-token-{server.issued}"
                    server.good.add(token)
                    self._answer(200, {"access_token": token, "expires_in": server.expires_in})
                    return
                token = (form.get("token") or [""])[0]
                if token in server.good:
                    self._answer(200, {"active": True, "username": USER})
                else:
                    self._answer(200, {"active": False})

            def _answer(self, status: int, body: dict[str, object]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "TokenServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


_CONFIG = """
base_dir = {d}/run
state_dir = {d}/state
instance_name = pressdesk-test-{port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
log_path = {d}/dovecot.log
mail_location = maildir:{d}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/passwd
  mechanisms = plain login
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {d}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={d}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""

_OAUTH = """introspection_mode = post
introspection_url = {url}/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


class Dovecot:
    def __init__(self, introspection_url: str) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="pressdesk-dovecot-"))
        self.directory.chmod(0o755)  # dovecot and nobody must traverse it
        self.introspection_url = introspection_url
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Dovecot":
        d = self.directory
        (d / "mail").mkdir(mode=0o777)
        (d / "mail").chmod(0o777)
        (d / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (d / "oauth2.conf.ext").write_text(_OAUTH.format(url=self.introspection_url))
        for _attempt in range(5):
            self.port = free_port()
            conf = d / "dovecot.conf"
            conf.write_text(_CONFIG.format(d=d, port=self.port))
            self.process = subprocess.Popen(
                ["dovecot", "-F", "-c", str(conf)],
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            )  # fmt: skip
            deadline = time.monotonic() + 10
            while self.process.poll() is None and time.monotonic() < deadline:
                try:
                    imaplib.IMAP4("127.0.0.1", self.port, timeout=1).logout()
                    return self
                except OSError:
                    time.sleep(0.02)  # a poll interval: we wait for the greeting
            self._stop()
        log = (d / "dovecot.log").read_text() if (d / "dovecot.log").exists() else ""
        msg = f"could not start a private dovecot: {log[-2000:]}"
        raise RuntimeError(msg)

    def _stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __exit__(self, *exc: object) -> None:
        self._stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, folder: str = "INBOX") -> dict[str, object]:
        """settings.PRESSDESK_INBOX for this server."""
        return {"host": "127.0.0.1", "port": self.port, "ssl": False, "username": USER,
                "password": PASSWORD, "folder": folder}  # fmt: skip

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def append(self, *raws: bytes, folder: str = "INBOX") -> None:
        conn = self.client()
        try:
            for raw in raws:
                status, _ = conn.append(folder, None, None, raw)
                assert status == "OK"
        finally:
            conn.logout()

    def count(self, folder: str) -> int:
        conn = self.client()
        try:
            status, data = conn.select(f'"{folder}"', readonly=True)
            return int(data[0]) if status == "OK" else 0
        finally:
            conn.logout()

    def fresh_mailbox(self) -> None:
        """Empty every folder (each test starts with an empty inbox)."""
        conn = self.client()
        try:
            status, listed = conn.list()
            for line in listed if status == "OK" else []:
                found = re.match(r'\((.*?)\) (?:NIL|"[^"]*") (.+)$', line.decode())
                if not found:
                    continue
                name = found.group(2).strip('"')
                status, data = conn.select(f'"{name}"')
                if status == "OK" and int(data[0]):
                    conn.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                    conn.expunge()
        finally:
            conn.logout()
