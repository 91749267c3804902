"""A real SMTP server on loopback (aiosmtpd) that records what it accepts and can be told to
answer with a temporary or permanent refusal."""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


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


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def mailers(self) -> dict[str, dict[str, object]]:
        return {
            "default": {
                "BACKEND": "enquiries.mail.smtp.EvidenceEmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
