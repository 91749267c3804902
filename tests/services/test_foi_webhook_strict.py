"""The archive webhook is strict (issue #16, item 4): no redirect followed, the documented JSON
receipt or no delivery, https only, and the signature never leaves the configured origin."""

import pytest

from enquiries.foi import webhook as foi_webhook
from enquiries.intake.public_form import Submission, submit
from enquiries.mail import outbox
from enquiries.models import Enquiry, FoiRouting, OutboundEmail
from tests.archive import SECRET, running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(settings):  # type: ignore[no-untyped-def]
    with running_receiver() as receiver, running_receiver() as elsewhere:
        receiver.location = elsewhere.url
        receiver.elsewhere = elsewhere
        settings.PRESSDESK_FOI_BACKEND = "webhook"
        settings.PRESSDESK_FOI_WEBHOOK_URL = receiver.url
        settings.PRESSDESK_FOI_WEBHOOK_SECRET = SECRET
        settings.PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP = True  # the receivers on loopback
        yield receiver


def _request() -> FoiRouting:
    enquiry, _created = submit(
        Submission(
            first_name="Kari", last_name="Nordmann", outlet="Dagbladet",
            email="kari.nordmann@dagbladet.no", phone="", mobile="",
            topic="Innsyn i avtalen", question="Jeg ber om innsyn i avtalen.", deadline=None,
            is_foi=True, opt_out=False, key="form-key-1",
        )
    )  # fmt: skip
    return enquiry.foi_routing


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failure_with_a_clear_error_and_goes_nowhere(archive, status):
    archive.statuses = [status]
    routing = _request()
    assert outbox.deliver(email_id=routing.delivery_id) == "failed"
    routing.refresh_from_db()
    assert routing.status == "failed"
    assert f"redirect (HTTP {status})" in routing.last_error
    assert "not followed" in routing.last_error
    assert archive.elsewhere.requests == []  # the signed body and headers went nowhere else
    enquiry = Enquiry.objects.get()
    assert enquiry.status != "routed"
    assert not OutboundEmail.objects.filter(kind="foi_acknowledgement").exists()


def test_a_2xx_without_the_json_receipt_is_not_a_delivery(archive):
    archive.receipt = False
    routing = _request()
    with pytest.raises(outbox.TransientFailure, match="without the JSON receipt"):
        outbox.deliver(email_id=routing.delivery_id)
    routing.refresh_from_db()
    assert routing.status == "queued"  # retried later: the idempotency key makes it harmless
    assert Enquiry.objects.get().status != "routed"
    archive.receipt = True
    assert outbox.deliver(email_id=routing.delivery_id) == "sent"
    routing.refresh_from_db()
    assert (routing.status, routing.case_number) == ("sent", "2026/100")


def test_a_plain_http_url_is_refused_unless_allowed(archive, settings):
    settings.PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP = False
    routing = _request()
    assert outbox.deliver(email_id=routing.delivery_id) == "failed"
    routing.refresh_from_db()
    assert "must be https" in routing.last_error
    assert archive.requests == []


def test_post_follows_no_redirect_and_wants_https():
    with running_receiver() as receiver, running_receiver() as elsewhere:
        receiver.statuses, receiver.location = [302], elsewhere.url
        with pytest.raises(foi_webhook.WebhookRejected, match="redirect"):
            foi_webhook.post(
                url=receiver.url, secret=SECRET, payload={}, idempotency_key="k", allow_http=True
            )
        with pytest.raises(foi_webhook.WebhookRejected, match="https"):
            foi_webhook.post(url=receiver.url, secret=SECRET, payload={}, idempotency_key="k")
        assert elsewhere.requests == []
        assert len(receiver.requests) == 1
