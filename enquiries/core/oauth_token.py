"""OAuth 2.0 client-credentials tokens (Microsoft Entra ID and any standard token endpoint).

One small client rather than msal: a POST of client id, secret and scope, a JSON answer with
`access_token` and `expires_in`. The token is kept in this process's memory (never in the
shared cache: it is a secret) and fetched again once less than REFRESH_MARGIN of its life is
left, so a poll never starts with a token about to expire.
"""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

REFRESH_MARGIN = 300  # seconds: fetch a new token when the current one has less left


class TokenUnavailable(Exception):
    """The token endpoint refused or could not be reached (the reason holds no secret)."""


@dataclass(frozen=True)
class TokenSource:
    token_url: str
    client_id: str
    client_secret: str
    scope: str


_lock = threading.Lock()
_tokens: dict[TokenSource, tuple[str, float]] = {}


def access_token(source: TokenSource, *, timeout: float = 10) -> str:
    """A token with more than REFRESH_MARGIN seconds left: the kept one, or a fresh one."""
    with _lock:
        kept = _tokens.get(source)
        if kept and kept[1] - time.monotonic() > REFRESH_MARGIN:
            return kept[0]
        token, lifetime = _fetch(source, timeout=timeout)
        _tokens[source] = (token, time.monotonic() + lifetime)
        return token


def forget(source: TokenSource) -> None:
    """Drop the kept token (the server refused it): the next call fetches a new one."""
    with _lock:
        _tokens.pop(source, None)


def _fetch(source: TokenSource, *, timeout: float) -> tuple[str, int]:
    if not source.token_url.startswith(("https://", "http://")):
        msg = "the OAuth token URL must be http(s)"
        raise TokenUnavailable(msg)
    body = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": source.client_id,
            "client_secret": source.client_secret,
            "scope": source.scope,
        }
    ).encode()
    request = urllib.request.Request(source.token_url, data=body, method="POST")  # noqa: S310
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310: scheme checked above
            answer = json.loads(response.read(65536))
    except urllib.error.HTTPError as exc:
        msg = f"the token endpoint answered HTTP {exc.code}"
        raise TokenUnavailable(msg) from exc
    except (OSError, ValueError) as exc:
        msg = f"the token endpoint could not be used ({type(exc).__name__})"
        raise TokenUnavailable(msg) from exc
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        msg = "the token endpoint's answer held no access token"
        raise TokenUnavailable(msg)
    try:
        lifetime = int(answer.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 3600
    return token, lifetime
