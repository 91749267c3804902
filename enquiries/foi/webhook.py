"""The archive-system backend for FOI routing: an HTTP POST of JSON, signed with HMAC-SHA256.

The receiver recomputes `HMAC(secret, f"{timestamp}.{body}")`, compares it with the
`X-Pressdesk-Signature` header in constant time, and refuses a timestamp older than a few
minutes (a replay). `Idempotency-Key` is the same on every retry of one routing, so a receiver
that saw it before answers with the case it already made instead of a second one.

Strict on both sides: https only (plain http only where the caller allows it: DEBUG or a
test's receiver), no proxy from the environment, and no redirect followed: a 3xx is a failure
with its own clear error, so the signed body and its headers reach the configured origin and
nothing else. The receipt is documented: a 2xx answers with a JSON object carrying the
archive's case, `{"case_number": "2026/1234"}`; a 2xx without it is not taken as delivered
(retried: the idempotency key makes a repeat harmless).
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

SIGNATURE_HEADER = "X-Pressdesk-Signature"
TIMESTAMP_HEADER = "X-Pressdesk-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class WebhookRejected(Exception):
    """The receiver said no for good (4xx other than 408/429), redirected us, or the URL is not
    https: retrying will not help. The reason is a sentence for the desk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WebhookUnavailable(Exception):
    """Worth retrying: a timeout, a refused connection, 5xx, 408 or 429."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebhookReceipt:
    status: int
    case_number: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: the 3xx reaches the caller as an HTTPError."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# No ProxyHandler from the environment, no redirects: the post goes to the URL, or fails.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(*, secret: str, timestamp: str, body: bytes, signature: str, max_age: int = 300) -> bool:
    """What a receiver does; used by our tests' receiver and documented for archive vendors."""
    try:
        fresh = abs(time.time() - int(timestamp)) <= max_age
    except ValueError:
        return False
    expected = sign(secret=secret, timestamp=timestamp, body=body)
    return fresh and hmac.compare_digest(expected, signature)


def post(
    *,
    url: str,
    secret: str,
    payload: dict[str, object],
    idempotency_key: str,
    timeout: float = 10,
    allow_http: bool = False,
) -> WebhookReceipt:
    """POST the payload once; the caller decides about retries from the exception raised."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme != "https" and not (allow_http and scheme == "http"):
        msg = f"the archive's URL must be https, not {scheme or 'empty'}"
        raise WebhookRejected(msg)
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (the URL is the administrator's own setting)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(secret=secret, timestamp=timestamp, body=body),
            IDEMPOTENCY_HEADER: idempotency_key,
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            answer = response.read(64 * 1024)
            status = response.status
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code}"
        if 300 <= exc.code < 400:
            msg = (
                f"the archive answered with a redirect ({reason}), which is not followed: "
                "set PRESSDESK_FOI_WEBHOOK_URL to the address that takes the request"
            )
            raise WebhookRejected(msg) from exc
        if exc.code >= 500 or exc.code in (408, 429):
            raise WebhookUnavailable(reason) from exc
        msg = f"refused by the archive ({reason})"
        raise WebhookRejected(msg) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise WebhookUnavailable(type(getattr(exc, "reason", exc)).__name__) from exc
    if not 200 <= status < 300:
        msg = f"HTTP {status}"
        raise WebhookUnavailable(msg)
    return WebhookReceipt(status=status, case_number=_case_number(answer, status=status))


def _case_number(answer: bytes, *, status: int) -> str:
    """The documented receipt's case number; a 2xx without one was not a receipt."""
    try:
        receipt = json.loads(answer)
    except ValueError:
        receipt = None
    case_number = receipt.get("case_number") if isinstance(receipt, dict) else None
    if not isinstance(case_number, str | int) or not str(case_number).strip():
        msg = f"HTTP {status} without the JSON receipt (case_number)"
        raise WebhookUnavailable(msg)
    return str(case_number).strip()[:100]
