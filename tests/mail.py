"""A real SMTP server on loopback (aiosmtpd) that records what it accepts and can be told to
answer with a temporary or permanent refusal; with `tokens` (tests/oauth.py) it requires
AUTH XOAUTH2 with a token that server issued."""

import base64
import json
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.oauth import CLIENT_ID, CLIENT_SECRET, TokenServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    answer: str = "250 OK"  # what DATA answers: "451 Try later", "550 No such user", …

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.answer.startswith("250"):
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(parsed)  # type: ignore[arg-type]
        return self.answer


@dataclass
class XOAuth2Inbox(Inbox):
    """An inbox that takes AUTH XOAUTH2 (only) with a token the token server issued."""

    tokens: TokenServer | None = None
    logins: list[str] = field(default_factory=list)  # "user ok" / "user refused"

    async def auth_XOAUTH2(self, server, args):  # type: ignore[no-untyped-def]
        if len(args) > 1:
            raw = base64.b64decode(args[1])
        else:
            raw = await server.challenge_auth("", encode_to_b64=False)
        parts = dict(part.split("=", 1) for part in raw.decode().split("\x01") if "=" in part)
        user, token = parts.get("user", ""), parts.get("auth", "").removeprefix("Bearer ")
        assert self.tokens is not None
        if self.tokens.valid(token):
            self.logins.append(f"{user} ok")
            return AuthResult(success=True, auth_data=user)
        self.logins.append(f"{user} refused")
        error = json.dumps({"status": "401", "schemes": "bearer"}).encode()
        await server.challenge_auth(base64.b64encode(error), encode_to_b64=False)
        # handled=False: aiosmtpd answers 535 (with True the client would hang).
        return AuthResult(success=False, handled=False)


class SmtpServer:
    def __init__(self, *, tokens: TokenServer | None = None) -> None:
        self.tokens = tokens
        self.inbox: Inbox = XOAuth2Inbox(tokens=tokens) if tokens else Inbox()
        self.port = free_port()
        self.controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            # XOAUTH2 alone: a client falling back to a password would be refused.
            **(
                {
                    "auth_require_tls": False,
                    "auth_required": True,
                    "auth_exclude_mechanism": ["LOGIN", "PLAIN"],
                }
                if tokens
                else {}
            ),
        )

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def oauth_env(self) -> dict[str, str]:
        """The environment for a worker that sends here with XOAUTH2."""
        assert self.tokens is not None
        return {
            "EMAIL_URL": f"smtp://presse%40helseetaten.no@127.0.0.1:{self.port}",
            "PRESSDESK_EMAIL_OAUTH_TOKEN_URL": self.tokens.token_url,
            "PRESSDESK_EMAIL_OAUTH_CLIENT_ID": CLIENT_ID,
            "PRESSDESK_EMAIL_OAUTH_CLIENT_SECRET": CLIENT_SECRET,
            "PRESSDESK_EMAIL_OAUTH_SCOPE": "https://outlook.office365.com/.default",
        }

    @property
    def mailers(self) -> dict[str, dict[str, object]]:
        if self.tokens is not None:
            from pressdesk.env import mailers_from_url

            env = self.oauth_env
            return mailers_from_url(
                env["EMAIL_URL"],
                timeout=5,
                oauth={
                    "token_url": env["PRESSDESK_EMAIL_OAUTH_TOKEN_URL"],
                    "client_id": env["PRESSDESK_EMAIL_OAUTH_CLIENT_ID"],
                    "client_secret": env["PRESSDESK_EMAIL_OAUTH_CLIENT_SECRET"],
                    "scope": env["PRESSDESK_EMAIL_OAUTH_SCOPE"],
                },
            )
        return {
            "default": {
                "BACKEND": "enquiries.mail.smtp.EvidenceEmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
