"""The archive-system backend for FOI routing: an HTTP POST of JSON, signed with HMAC-SHA256.

The receiver recomputes `HMAC(secret, f"{timestamp}.{body}")`, compares it with the
`X-Pressdesk-Signature` header in constant time, and refuses a timestamp older than a few
minutes (a replay). `Idempotency-Key` is the same on every retry of one routing, so a receiver
that saw it before answers with the case it already made instead of a second one.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

SIGNATURE_HEADER = "X-Pressdesk-Signature"
TIMESTAMP_HEADER = "X-Pressdesk-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class WebhookRejected(Exception):
    """The receiver said no for good (4xx other than 408/429): retrying will not help."""

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
    *, url: str, secret: str, payload: dict[str, object], idempotency_key: str, timeout: float = 10
) -> WebhookReceipt:
    """POST the payload once; the caller decides about retries from the exception raised."""
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
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310: http(s) URL checked in settings
            answer = response.read(64 * 1024)
            status = response.status
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code}"
        if exc.code >= 500 or exc.code in (408, 429):
            raise WebhookUnavailable(reason) from exc
        raise WebhookRejected(reason) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise WebhookUnavailable(type(getattr(exc, "reason", exc)).__name__) from exc
    try:
        case_number = str(json.loads(answer or b"{}").get("case_number", ""))[:100]
    except (ValueError, AttributeError):
        case_number = ""
    return WebhookReceipt(status=status, case_number=case_number)
