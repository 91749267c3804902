"""OAuth 2.0 access tokens by the client-credentials grant (RFC 6749 4.4), for SMTP and IMAP
with XOAUTH2: Microsoft 365 turns off basic authentication for both. One client for both (the
outbox's SMTP backend and the press inbox's poll).

Microsoft Entra ID: the token URL is
`https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token` and the scope
`https://outlook.office365.com/.default`; the app registration needs the `SMTP.SendAsApp`
(and `IMAP.AccessAsApp`) permission and an Exchange service principal with access to the
mailbox. A token is kept in this process's memory only (never in the cache: it is a secret)
and fetched again once less than REFRESH_MARGIN_SECONDS of its life is left (so a poll or a
send never starts with a token about to expire).

A small client rather than msal: one POST, and it runs against any OAuth 2.0 server (the
tests' on loopback); msal's constructor calls Microsoft's discovery endpoints.
"""

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

# A token is fetched again when less than this is left of it.
REFRESH_MARGIN_SECONDS = 300
TIMEOUT_SECONDS = 10


class TokenUnavailable(Exception):
    """No token: the token endpoint refused (bad secret, no permission) or did not answer.
    The reason is a sentence without secrets, for logs and the outbox's last error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: the client secret goes to the configured URL and nowhere else."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


@dataclass
class ClientCredentials:
    token_url: str
    client_id: str
    client_secret: str
    scope: str
    _token: str = field(default="", repr=False)
    _expires_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def token(self) -> str:
        """A valid access token: the one held, or a new one when it is close to expiry."""
        with self._lock:
            if not self._token or time.monotonic() >= self._expires_at:
                self._fetch()
            return self._token

    def forget(self) -> None:
        """Drop the held token (the server refused it): the next call fetches a new one."""
        with self._lock:
            self._token = ""

    def _fetch(self) -> None:
        body = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": self.scope,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (the URL's scheme is checked in settings)
            self.token_url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                answer = json.loads(response.read(100_000) or b"{}")
        except urllib.error.HTTPError as exc:
            msg = f"the token endpoint refused (HTTP {exc.code})"
            raise TokenUnavailable(msg) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            msg = f"the token endpoint did not answer ({type(exc).__name__})"
            raise TokenUnavailable(msg) from exc
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            msg = "the token endpoint answered without an access token"
            raise TokenUnavailable(msg)
        try:
            lifetime = max(int(answer.get("expires_in", 3600)), 0)
        except (TypeError, ValueError):
            lifetime = 3600
        self._token = token
        self._expires_at = time.monotonic() + lifetime - REFRESH_MARGIN_SECONDS
        logger.info("oauth: new access token for client %s, valid %s s", self.client_id, lifetime)


_providers: dict[tuple[str, str, str], ClientCredentials] = {}
_providers_lock = threading.Lock()


def provider(
    *, token_url: str, client_id: str, client_secret: str, scope: str
) -> ClientCredentials:
    """One provider per (URL, client, scope) in this process, so every connection shares the
    token instead of asking for a new one each time."""
    key = (token_url, client_id, scope)
    with _providers_lock:
        held = _providers.get(key)
        if held is None or held.client_secret != client_secret:
            held = _providers[key] = ClientCredentials(
                token_url=token_url, client_id=client_id, client_secret=client_secret, scope=scope
            )
        return held


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as Google and Microsoft define it."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"
