"""The signed webhook against a real HTTP server on loopback."""

import json
import time
from collections.abc import Iterator

import pytest

from enquiries.foi import webhook as foi_webhook
from tests.archive import SECRET, Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as instance:
        yield instance


PAYLOAD = {"reference": "P-2026-00042", "request": "Innsyn i avtalen", "requester": "Ola Nordmann"}


def test_a_signed_post_returns_the_archives_case_number(receiver):
    receipt = foi_webhook.post(
        url=receiver.url, secret=SECRET, payload=PAYLOAD, idempotency_key="foi-1", allow_http=True
    )
    assert receipt.case_number == "2026/100"
    [request] = receiver.requests
    assert request["valid"] is True
    assert request["json"] == PAYLOAD
    assert request["key"] == "foi-1"


def test_a_500_is_worth_retrying_and_the_retry_is_recognised_by_its_key(receiver):
    receiver.statuses = [500]
    with pytest.raises(foi_webhook.WebhookUnavailable, match="HTTP 500"):
        foi_webhook.post(
            url=receiver.url,
            secret=SECRET,
            payload=PAYLOAD,
            idempotency_key="foi-2",
            allow_http=True,
        )
    first = foi_webhook.post(
        url=receiver.url, secret=SECRET, payload=PAYLOAD, idempotency_key="foi-2", allow_http=True
    )
    again = foi_webhook.post(
        url=receiver.url, secret=SECRET, payload=PAYLOAD, idempotency_key="foi-2", allow_http=True
    )
    assert first.case_number == again.case_number  # one case for one routing
    assert len(receiver.cases) == 1


def test_a_wrong_secret_is_refused_for_good(receiver):
    with pytest.raises(foi_webhook.WebhookRejected, match="HTTP 401"):
        foi_webhook.post(
            url=receiver.url,
            secret="wrong",
            payload=PAYLOAD,
            idempotency_key="foi-3",
            allow_http=True,
        )
    assert receiver.requests[0]["valid"] is False


def test_nobody_listening_is_worth_retrying():
    with pytest.raises(foi_webhook.WebhookUnavailable):
        foi_webhook.post(
            url="http://127.0.0.1:1/foi",
            secret=SECRET,
            payload=PAYLOAD,
            idempotency_key="k",
            allow_http=True,
        )


def test_a_replayed_or_tampered_message_does_not_verify():
    body = json.dumps(PAYLOAD).encode()
    signature = foi_webhook.sign(secret=SECRET, timestamp="1700000000", body=body)
    assert not foi_webhook.verify(
        secret=SECRET, timestamp="1700000000", body=body, signature=signature
    )
    now = str(int(time.time()))
    good = foi_webhook.sign(secret=SECRET, timestamp=now, body=body)
    assert foi_webhook.verify(secret=SECRET, timestamp=now, body=body, signature=good)
    assert not foi_webhook.verify(secret=SECRET, timestamp=now, body=body + b" ", signature=good)
