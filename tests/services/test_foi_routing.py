"""FOI requests go to the post registry, exactly once: the routing service against a real SMTP
server and a real HTTP archive on loopback (the worker-level tests are in tests/tasks)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enquiries.foi import routing as foi_routing
from enquiries.handling import enquiries as handling
from enquiries.intake.public_form import Submission, submit
from enquiries.mail import outbox
from enquiries.models import AuditEvent, Enquiry, FoiRouting, OutboundEmail
from enquiries.privacy.erasure import erase_contact
from enquiries.queue.listing import QueueFilters, desk_queue, unrouted_foi
from tests import makers
from tests.archive import SECRET, running_receiver

pytestmark = pytest.mark.django_db

REGISTRY = "postmottak@helseetaten.example"


def _form_request(**extra: object) -> Enquiry:
    fields = {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "outlet": "Dagbladet",
        "email": "kari.nordmann@dagbladet.no",
        "phone": "",
        "mobile": "+47 912 34 567",
        "topic": "Innsyn i avtalen med leverandøren",
        "question": "Jeg ber om innsyn i avtalen om beredskapslager, jf. offentleglova § 3.",
        "deadline": None,
        "is_foi": True,
        "opt_out": False,
        "key": "form-key-1",
        **extra,
    }
    enquiry, created = submit(Submission(**fields))
    assert created
    return enquiry


def _deliver(routing: FoiRouting) -> str:
    routing.refresh_from_db()
    return outbox.deliver(email_id=routing.delivery_id)


def test_the_form_box_writes_the_routing_and_its_mail_with_the_enquiry():
    enquiry = _form_request()
    routing = enquiry.foi_routing
    assert (routing.status, routing.backend, routing.attempts) == ("queued", "email", 0)
    mail = routing.delivery
    assert (mail.kind, mail.to_address, mail.reply_to) == (
        "foi_routing",
        REGISTRY,
        "kari.nordmann@dagbladet.no",
    )
    assert enquiry.reference in mail.subject
    for expected in (
        "Kari Nordmann",
        "kari.nordmann@dagbladet.no",
        "Dagbladet",
        "jf. offentleglova § 3",
        enquiry.reference,
        timezone.localtime(enquiry.received_at).strftime("%H:%M"),
    ):
        assert expected in mail.body
    # The acknowledgement replaces the press receipt; it follows the forwarding.
    assert list(OutboundEmail.objects.values_list("kind", flat=True)) == ["foi_routing"]
    assert AuditEvent.objects.filter(action="foi.queued", enquiry_id=enquiry.pk).exists()


def test_forwarding_routes_the_enquiry_and_acknowledges_the_requester(smtp):
    enquiry = _form_request()
    assert _deliver(enquiry.foi_routing) == "sent"
    [registry_mail] = smtp.inbox.messages
    assert registry_mail["To"] == REGISTRY
    assert registry_mail["Reply-To"] == "kari.nordmann@dagbladet.no"
    enquiry.refresh_from_db()
    routing = enquiry.foi_routing
    assert (enquiry.status, routing.status, routing.attempts) == ("routed", "sent", 1)
    assert routing.sent_at is not None
    acknowledgement = OutboundEmail.objects.get(kind="foi_acknowledgement")
    assert acknowledgement.to_address == "kari.nordmann@dagbladet.no"
    assert acknowledgement.wipe_recipient
    assert REGISTRY in acknowledgement.body
    assert enquiry.reference in acknowledgement.body
    assert "offentleglova" in acknowledgement.body
    assert "Freedom of Information Act" in acknowledgement.body  # both languages
    assert outbox.deliver(email_id=acknowledgement.pk) == "sent"
    acknowledgement.refresh_from_db()
    assert acknowledgement.to_address == ""  # forgotten once sent


def test_a_second_delivery_sends_nothing(smtp):
    routing = _form_request().foi_routing
    assert _deliver(routing) == "sent"
    assert _deliver(routing) == "skipped: not queued"
    assert len(smtp.inbox.messages) == 1
    assert OutboundEmail.objects.filter(kind="foi_acknowledgement").count() == 1


def test_routed_requests_leave_the_press_queue_and_the_kind_filter_finds_them(smtp):
    press = makers.make_enquiry(topic="Vaksinedoser til høsten")
    enquiry = _form_request()
    _deliver(enquiry.foi_routing)
    default = desk_queue(filters=QueueFilters())
    assert [row.pk for row in default.rows] == [press.pk]
    foi = desk_queue(filters=QueueFilters(kind="foi"))
    assert [row.pk for row in foi.rows] == [enquiry.pk]
    routed = desk_queue(filters=QueueFilters(status="routed"))
    assert [row.pk for row in routed.rows] == [enquiry.pk]


def test_an_officers_reclassification_routes_it_and_keeps_the_time_received(officer):
    received = timezone.now() - timedelta(days=2)
    enquiry = makers.make_enquiry(
        details="Ber om innsyn i e-postene",
        received_at=received,
        journalist=makers.make_journalist(),
    )
    assert not FoiRouting.objects.exists()
    handling.update_enquiry(enquiry_id=enquiry.pk, by=officer, kind=Enquiry.Kind.FOI)
    enquiry.refresh_from_db()
    assert enquiry.received_at == received
    assert enquiry.foi_routing.delivery.to_address == REGISTRY
    assert "Ber om innsyn i e-postene" in enquiry.foi_routing.delivery.body


def test_a_failed_classification_leaves_no_routing_and_no_mail(officer):
    enquiry = makers.make_enquiry()

    def reclassify_then_fail() -> None:
        with transaction.atomic():
            handling.update_enquiry(enquiry_id=enquiry.pk, by=officer, kind=Enquiry.Kind.FOI)
            raise RuntimeError  # anything failing later in the same transaction

    with pytest.raises(RuntimeError):
        reclassify_then_fail()
    assert not FoiRouting.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_kind_cannot_go_back_once_forwarding_has_begun(officer, smtp):
    enquiry = _form_request()
    with pytest.raises(ValidationError) as refused:
        handling.update_enquiry(enquiry_id=enquiry.pk, by=officer, kind=Enquiry.Kind.PRESS)
    assert list(refused.value.error_dict) == ["kind"]
    _deliver(enquiry.foi_routing)
    with pytest.raises(ValidationError) as refused:
        handling.update_enquiry(enquiry_id=enquiry.pk, by=officer, kind=Enquiry.Kind.PRESS)
    assert list(refused.value.error_dict) == ["kind"]
    assert Enquiry.objects.get(pk=enquiry.pk).kind == "foi"


def test_a_failed_routing_may_be_undone_by_reclassifying(officer, smtp):
    smtp.inbox.answer = "550 No such mailbox"
    enquiry = _form_request()
    assert _deliver(enquiry.foi_routing) == "failed"
    handling.update_enquiry(enquiry_id=enquiry.pk, by=officer, kind=Enquiry.Kind.PRESS)
    assert not FoiRouting.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert AuditEvent.objects.filter(action="foi.cancelled").count() == 1


def test_smtp_down_retries_for_the_window_then_fails_and_retry_now_sends_once(
    officer, smtp, settings, office_clock
):
    smtp.inbox.answer = "451 Try again later"
    routing = _form_request().foi_routing
    with pytest.raises(outbox.TransientFailure):
        _deliver(routing)
    routing.refresh_from_db()
    assert (routing.status, routing.attempts, routing.last_error) == ("queued", 1, "SMTP 451")
    assert not outbox.gives_up(email_id=routing.delivery_id, retries=50)  # a day, not a count
    OutboundEmail.objects.filter(pk=routing.delivery_id).update(
        created_at=timezone.now() - timedelta(days=1, seconds=1)
    )
    assert outbox.gives_up(email_id=routing.delivery_id, retries=1)
    outbox.mark_failed(email_id=routing.delivery_id, reason="gave up: SMTP 451")
    routing.refresh_from_db()
    assert routing.status == "failed"
    later = timezone.now() + timedelta(hours=2)
    assert [alert.enquiry.pk for alert in unrouted_foi(now=later)] == [routing.enquiry_id]

    smtp.inbox.answer = "250 OK"
    assert foi_routing.retry_now(routing_id=routing.pk, by=officer)
    routing.refresh_from_db()
    assert routing.status == "queued"
    assert _deliver(routing) == "sent"
    assert not foi_routing.retry_now(routing_id=routing.pk, by=officer)  # only a failed one
    assert len(smtp.inbox.messages) == 1
    assert unrouted_foi(now=later) == []
    assert AuditEvent.objects.filter(action="foi.retried").count() == 1


def test_the_alert_lists_requests_not_forwarded_within_an_hour_of_office_time(office_clock):
    fresh = _form_request()
    old = _form_request(key="form-key-2")
    Enquiry.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(minutes=61))
    assert [alert.enquiry.pk for alert in unrouted_foi()] == [old.pk]
    assert fresh.pk not in [alert.enquiry.pk for alert in unrouted_foi()]


def test_the_case_number_is_recorded_with_an_audit_event_of_ids_only(officer, smtp):
    enquiry = _form_request()
    routing = enquiry.foi_routing
    _deliver(routing)
    foi_routing.record_case_number(routing_id=routing.pk, case_number=" 2026/1234 ", by=officer)
    routing.refresh_from_db()
    assert routing.case_number == "2026/1234"
    event = AuditEvent.objects.get(action="foi.case_number")
    assert event.detail == {"routing_id": routing.pk}
    with pytest.raises(ValidationError):
        foi_routing.record_case_number(routing_id=routing.pk, case_number="2026\n1", by=officer)


def test_an_opted_out_request_keeps_nothing_personal_once_forwarded(smtp):
    enquiry = _form_request(opt_out=True)
    _deliver(enquiry.foi_routing)
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.topic, enquiry.details, enquiry.journalist) == (
        "routed",
        "",
        "",
        None,
    )
    assert FoiRouting.objects.get().status == "sent"  # the routing record stays
    # The acknowledgement is still on its way to them, and forgets the address when sent.
    assert OutboundEmail.objects.get().kind == "foi_acknowledgement"
    assert len(smtp.inbox.messages) == 1


def test_erasure_before_forwarding_stops_it_visibly():
    enquiry = _form_request()
    erase_contact(email="kari.nordmann@dagbladet.no", by=None, via="desk")
    routing = FoiRouting.objects.get(enquiry=enquiry)
    assert routing.status == "failed"
    assert "removed" in routing.last_error
    assert not OutboundEmail.objects.exists()


# --- The webhook backend -------------------------------------------------------------------


@pytest.fixture
def archive(settings):  # type: ignore[no-untyped-def]
    with running_receiver() as receiver:
        settings.PRESSDESK_FOI_BACKEND = "webhook"
        settings.PRESSDESK_FOI_WEBHOOK_URL = receiver.url
        settings.PRESSDESK_FOI_WEBHOOK_SECRET = SECRET
        settings.PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP = True  # the receiver on loopback
        yield receiver


def test_by_webhook_a_500_is_retried_and_the_case_number_recorded_once(archive, smtp):
    archive.statuses = [500]
    enquiry = _form_request()
    routing = enquiry.foi_routing
    assert (routing.backend, routing.delivery.transport) == ("webhook", "archive_webhook")
    assert routing.delivery.body == ""  # the payload is built when posted, not kept
    with pytest.raises(outbox.TransientFailure, match="HTTP 500"):
        outbox.deliver(email_id=routing.delivery_id)
    routing.refresh_from_db()
    assert (routing.status, routing.last_error) == ("queued", "HTTP 500")
    assert outbox.deliver(email_id=routing.delivery_id) == "sent"
    assert outbox.deliver(email_id=routing.delivery_id) == "skipped: not queued"
    routing.refresh_from_db()
    enquiry.refresh_from_db()
    assert (routing.status, routing.attempts, routing.case_number) == ("sent", 2, "2026/100")
    assert enquiry.status == "routed"
    assert [request["valid"] for request in archive.requests] == [True, True]
    keys = {request["key"] for request in archive.requests}
    assert keys == {str(routing.idempotency_key)}
    payload = archive.requests[-1]["json"]
    assert payload["reference"] == enquiry.reference
    assert payload["requester"]["email"] == "kari.nordmann@dagbladet.no"
    assert payload["requester"]["outlet"] == "Dagbladet"
    assert "offentleglova" in payload["text"]
    assert OutboundEmail.objects.exclude(pk=routing.delivery_id).get().kind == (
        "foi_acknowledgement"
    )


def test_by_webhook_a_refusal_fails_for_a_person_to_retry(archive, settings, officer):
    settings.PRESSDESK_FOI_WEBHOOK_SECRET = "not-the-archives-secret"
    routing = _form_request().foi_routing
    assert outbox.deliver(email_id=routing.delivery_id) == "failed"
    routing.refresh_from_db()
    assert (routing.status, routing.last_error) == ("failed", "refused by the archive (HTTP 401)")
    settings.PRESSDESK_FOI_WEBHOOK_SECRET = SECRET
    assert foi_routing.retry_now(routing_id=routing.pk, by=officer)
    assert outbox.deliver(email_id=routing.delivery_id) == "sent"
    assert len(archive.cases) == 1


@pytest.mark.redis
def test_the_sweeper_redispatches_lost_webhook_routings_and_revives_stuck_ones(archive):
    lost = _form_request().foi_routing
    stuck = _form_request(key="form-key-2").foi_routing
    OutboundEmail.objects.filter(pk=lost.delivery_id).update(
        next_attempt_at=timezone.now() - timedelta(minutes=10)
    )
    OutboundEmail.objects.filter(pk=stuck.delivery_id).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert outbox.sweep() == {
        "redispatched": 1,
        "interrupted": 0,
        "revived": 1,
        "confirmation_lost": 0,
        "resumed": 0,
    }
    stuck.refresh_from_db()
    assert stuck.status == "queued"  # the routing shows its delivery's state
    # Revived: posting again is safe, the archive knows the request by its key.
    assert outbox.deliver(email_id=stuck.delivery_id) == "sent"
