"""SMTP with evidence: what the outbox needs to know about a transaction to decide, after a
crash, whether the mail can have gone out.

The one moment that matters is the end of DATA (the lone "." line): before it, the server
has accepted nothing and a repeat cannot make a duplicate; from it on, the server may have
queued the mail even if its "250" never reached us. `EvidenceSMTP.data()` calls the current
delivery's `before_data_end` (which writes that down in the row, and commits) just before it
sends the end, and keeps the server's final reply. Built on smtplib's public API (putcmd,
getreply, send); Django's SMTP backend uses it through `connection_class`.
"""

import contextvars
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.mail.backends.smtp import EmailBackend

from enquiries.core import oauth

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


@dataclass
class Evidence:
    """One delivery's record: called before the end of DATA; the server's last reply."""

    before_data_end: Callable[[], None]
    reply: str = ""
    data_end_sent: bool = False


current: contextvars.ContextVar[Evidence | None] = contextvars.ContextVar(
    "smtp_evidence", default=None
)


class _EvidenceMixin(smtplib.SMTP):
    def data(self, msg: "ReadableBuffer | str") -> tuple[int, bytes]:  # SMTP.data, with the hook
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = re.sub(r"(?:\r\n|\n|\r(?!\n))", "\r\n", msg).encode("ascii")
        quoted = re.sub(rb"(?m)^\.", b"..", bytes(msg))
        if not quoted.endswith(b"\r\n"):
            quoted += b"\r\n"
        self.send(quoted)
        evidence = current.get()
        if evidence is not None:
            evidence.before_data_end()  # written down (and committed) before the "."
            evidence.data_end_sent = True
        self.send(b".\r\n")
        code, reply = self.getreply()
        if evidence is not None:
            evidence.reply = f"{code} {reply.decode(errors='replace')}"
        return code, reply


class EvidenceSMTP(_EvidenceMixin, smtplib.SMTP):
    pass


class EvidenceSMTPSSL(_EvidenceMixin, smtplib.SMTP_SSL):
    pass


class EvidenceEmailBackend(EmailBackend):
    """Django's SMTP backend on the connection classes above."""

    records_evidence = True

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return EvidenceSMTPSSL if self.use_ssl else EvidenceSMTP


# --- OAuth 2.0 (XOAUTH2) ---------------------------------------------------------------------


class OAuthTokenUnavailable(smtplib.SMTPException):
    """No access token to log in with; the outbox retries (the reason names no secret)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _XOAuth2Mixin(smtplib.SMTP):
    def login(
        self, user: str, password: str, *, initial_response_ok: bool = True
    ) -> tuple[int, bytes]:
        """AUTH XOAUTH2, `password` being the access token (Django's backend calls login)."""
        self.ehlo_or_helo_if_needed()
        if not self.has_extn("auth"):
            msg = "SMTP AUTH extension not supported by server."
            raise smtplib.SMTPNotSupportedError(msg)
        first = oauth.xoauth2(user, password)

        # A refusal comes as a 334 challenge (JSON): it is answered with an empty line,
        # and the server then says 535.
        def respond(challenge: bytes | None = None) -> str:
            return first if challenge is None else ""

        return self.auth("XOAUTH2", respond, initial_response_ok=True)


class OAuthEvidenceSMTP(_XOAuth2Mixin, _EvidenceMixin, smtplib.SMTP):
    pass


class OAuthEvidenceSMTPSSL(_XOAuth2Mixin, _EvidenceMixin, smtplib.SMTP_SSL):
    pass


class OAuthEmailBackend(EvidenceEmailBackend):
    """Django's SMTP backend logging in with XOAUTH2: the username from EMAIL_URL, an access
    token from the client-credentials provider instead of a password (enquiries.core.oauth).
    OPTIONS: those of the SMTP backend, and token_url, client_id, client_secret, scope."""

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.tokens = oauth.provider(
            token_url=token_url, client_id=client_id, client_secret=client_secret, scope=scope
        )

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return OAuthEvidenceSMTPSSL if self.use_ssl else OAuthEvidenceSMTP

    def open(self) -> bool | None:
        if self.connection:
            return False
        try:
            self.password = self.tokens.token()
        except oauth.TokenUnavailable as exc:
            raise OAuthTokenUnavailable(exc.reason) from exc
        try:
            opened: bool | None = super().open()
        except smtplib.SMTPAuthenticationError:
            self.tokens.forget()  # revoked or expired early: the next try fetches a new one
            raise
        return opened
