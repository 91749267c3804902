"""An OAuth 2.0 server on loopback (stdlib http.server): the client-credentials grant (RFC
6749 4.4) at /token, for the one client it knows, and token introspection (RFC 7662) at
/introspect, as a mail server asks; it counts the tokens it issues."""

import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

CLIENT_ID = "pressdesk-app"
CLIENT_SECRET = "client-secret-for-tests"


@dataclass
class TokenServer:
    user: str = "presse@helseetaten.no"
    expires_in: int = 3600
    issued: list[str] = field(default_factory=list)
    grants: list[dict[str, str]] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    status, answer = server._grant(form)
                elif self.path == "/introspect":
                    status, answer = 200, server.introspect(form.get("token", ""))
                else:
                    status, answer = 404, {"error": "not_found"}
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _grant(self, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        self.grants.append(form)
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        token = secrets.token_urlsafe(24)
        self.issued.append(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}

    def valid(self, token: str) -> bool:
        return token in self.issued and token not in self.revoked

    def introspect(self, token: str) -> dict[str, object]:
        if self.valid(token):
            return {"active": True, "username": self.user}
        return {"active": False}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    def __enter__(self) -> "TokenServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
