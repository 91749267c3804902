"""Requests for access to documents go to the post registry, exactly once (DESIGN.md rule 6).

- `open_routing` runs in the transaction that makes an enquiry kind FOI (the form's box, an
  officer's reclassification, an officer logging one). It writes the FoiRouting row and its
  delivery in the outbox: an e-mail to the registry, or a post to the archive system's
  webhook (a transport registered here). The outbox gives the guarantees: one send per row,
  retries with backoff for PRESSDESK_FOI_RETRY_SECONDS, the sweeper for what Redis lost.
- The routing follows its delivery (`follow_delivery`, subscribed to the outbox and called in
  the same transaction as each change of the row's state); the archive's case number comes
  from the webhook's receipt.
- Once forwarded, the enquiry becomes "routed" (it leaves the press queue), the requester is
  acknowledged through the outbox, and an opted-out request keeps nothing personal.
- A routing not forwarded an hour after the request was received is an alert on the desk.
"""

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enquiries.core import audit, search_index
from enquiries.core.desk_settings import desk_settings
from enquiries.core.normalise import has_control_characters
from enquiries.foi import webhook as foi_webhook
from enquiries.mail import outbox, thread_entries
from enquiries.models import AuditAction, Enquiry, FoiRouting, Message, OutboundEmail, Outlet
from enquiries.privacy.erasure import strip_if_opted_out

logger = logging.getLogger(__name__)

ROUTING_MAIL_KIND = "foi_routing"
ACKNOWLEDGEMENT_KIND = "foi_acknowledgement"
WEBHOOK_TRANSPORT = "archive_webhook"

_MAIL_TO_ROUTING = {
    OutboundEmail.Status.QUEUED: FoiRouting.Status.QUEUED,
    OutboundEmail.Status.SENDING: FoiRouting.Status.SENDING,
    OutboundEmail.Status.SENT: FoiRouting.Status.SENT,
    OutboundEmail.Status.FAILED: FoiRouting.Status.FAILED,
}


def _outlet_of(enquiry: Enquiry) -> Outlet | None:
    journalist = enquiry.journalist
    return enquiry.outlet or (journalist.outlet if journalist else None)


def _request_context(enquiry: Enquiry) -> dict[str, object]:
    return {
        "enquiry": enquiry,
        "journalist": enquiry.journalist,
        "outlet": _outlet_of(enquiry),
        "desk": desk_settings(),
    }


def _subject(template: str, context: dict[str, object]) -> str:
    """A rendered subject on one line, in Bokmål (the registry journals in Norwegian)."""
    with translation.override(settings.LANGUAGE_CODE):
        return " ".join(render_to_string(template, context).split())[:300]


def open_routing(
    *, enquiry: Enquiry, by: AbstractBaseUser | None, held: bool = False
) -> FoiRouting:
    """Queue the forwarding of an FOI enquiry, in the caller's transaction; once only.
    `held`: a request from the form over a cap waits for an officer (`release_held`)."""
    routing, created = FoiRouting.objects.get_or_create(
        enquiry=enquiry,
        defaults={
            "backend": settings.PRESSDESK_FOI_BACKEND,
            "status": FoiRouting.Status.HELD if held else FoiRouting.Status.QUEUED,
        },
    )
    if not created:
        return routing
    if held:
        audit.record(
            actor=by,
            action=AuditAction.FOI_ROUTING_HELD,
            enquiry_id=enquiry.pk,
            detail={"routing_id": routing.pk},
        )
        return routing
    _queue_delivery(routing, enquiry=enquiry)
    audit.record(
        actor=by,
        action=AuditAction.FOI_ROUTING_QUEUED,
        enquiry_id=enquiry.pk,
        detail={"routing_id": routing.pk, "backend": routing.backend},
    )
    return routing


@transaction.atomic
def release_held(*, routing_id: int, by: AbstractBaseUser | None) -> bool:
    """An officer confirms a held request from the form: it is forwarded now. Returns False
    if it was not held (released already, or withdrawn)."""
    routing = (
        FoiRouting.objects.select_for_update(of=("self",))
        .select_related("enquiry__journalist")
        .filter(pk=routing_id)
        .first()
    )
    if routing is None or routing.status != FoiRouting.Status.HELD:
        return False
    routing.status = FoiRouting.Status.QUEUED
    routing.save(update_fields=["status"])
    _queue_delivery(routing, enquiry=routing.enquiry)
    audit.record(
        actor=by,
        action=AuditAction.FOI_ROUTING_RELEASED,
        enquiry_id=routing.enquiry_id,
        detail={"routing_id": routing.pk, "backend": routing.backend},
    )
    return True


def _queue_delivery(routing: FoiRouting, *, enquiry: Enquiry) -> None:
    retry_for = timedelta(seconds=settings.PRESSDESK_FOI_RETRY_SECONDS)
    key = f"foi-routing:{routing.idempotency_key}"
    if routing.backend == FoiRouting.Backend.EMAIL:
        context = _request_context(enquiry)
        # The registry journals in Norwegian, whatever language the requester used.
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("enquiries/emails/foi_routing_body.txt", context)
        journalist = enquiry.journalist
        routing.delivery = outbox.queue_email(
            kind=ROUTING_MAIL_KIND,
            to=desk_settings().post_registry_email,
            reply_to=(journalist.email or "") if journalist else "",
            subject=_subject("enquiries/emails/foi_routing_subject.txt", context),
            body=body,
            key=key,
            enquiry=enquiry,
            retry_for=retry_for,
        )
        thread_entries.add_to_thread(enquiry=enquiry, mail=routing.delivery, by=None)
    else:
        # The payload is built when it is posted, from what the enquiry holds then: an
        # erasure in between leaves nothing to post, and the row holds nothing personal.
        routing.delivery = outbox.queue_email(
            kind=ROUTING_MAIL_KIND,
            transport=WEBHOOK_TRANSPORT,
            to="",
            subject=enquiry.reference,
            body="",
            key=key,
            enquiry=enquiry,
            retry_for=retry_for,
        )
        with translation.override(settings.LANGUAGE_CODE):
            entry = _("Forwarded to the archive system (%(reference)s)") % {
                "reference": enquiry.reference
            }
        thread_entries.add_to_thread(
            enquiry=enquiry, mail=routing.delivery, by=None, subject=entry, body=""
        )
    routing.save(update_fields=["delivery"])


def cancel_unsent(*, enquiry: Enquiry, by: AbstractBaseUser | None) -> None:
    """An officer undoes a mistaken reclassification: only while nothing has gone out."""
    routing = FoiRouting.objects.select_for_update().filter(enquiry=enquiry).first()
    if routing is None:
        return
    if routing.status not in (FoiRouting.Status.FAILED, FoiRouting.Status.HELD):
        msg = _("This request has been forwarded, or is being forwarded, to the post registry.")
        raise ValidationError({"kind": msg})
    if routing.delivery_id:
        # Its entry in the thread goes with it: nothing was forwarded.
        Message.objects.filter(outbound_id=routing.delivery_id).delete()
        OutboundEmail.objects.filter(pk=routing.delivery_id).delete()
        search_index.refresh(enquiry_ids=[enquiry.pk])
    routing.delete()
    audit.record(actor=by, action=AuditAction.FOI_ROUTING_CANCELLED, enquiry_id=enquiry.pk)


# --- Outcomes ------------------------------------------------------------------------------


def follow_delivery(mail: OutboundEmail) -> None:
    """Copy the delivery's state onto its routing; on "sent", the request is forwarded."""
    routing = FoiRouting.objects.select_for_update().filter(delivery_id=mail.pk).first()
    if routing is None or routing.status == FoiRouting.Status.SENT:
        return
    routing.attempts = mail.attempts
    if mail.status == OutboundEmail.Status.SENT:
        _forwarded(routing, case_number=_case_number(mail.receipt))
        return
    FoiRouting.objects.filter(pk=routing.pk).update(
        status=_MAIL_TO_ROUTING[OutboundEmail.Status(mail.status)],
        attempts=mail.attempts,
        last_error=mail.last_error,
    )


def subscribe() -> None:
    """Follow the outbox's rows of our kind, and give it the archive's transport."""
    outbox.follow(ROUTING_MAIL_KIND, follow_delivery)
    outbox.register_transport(WEBHOOK_TRANSPORT, ArchiveWebhook())


def _forwarded(routing: FoiRouting, *, case_number: str) -> None:
    """Mark the routing sent, the enquiry routed, and acknowledge the requester."""
    now = timezone.now()
    routing.status = FoiRouting.Status.SENT
    routing.sent_at = now
    routing.last_error = ""
    if case_number:
        routing.case_number = case_number
    routing.save()
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("journalist")
        .get(pk=routing.enquiry_id)
    )
    _acknowledge(enquiry, routing)
    previous = enquiry.status
    enquiry.status = Enquiry.Status.ROUTED
    enquiry.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=None,
        action=AuditAction.ENQUIRY_STATUS,
        enquiry_id=enquiry.pk,
        detail={"status": Enquiry.Status.ROUTED.value, "from": previous},
    )
    strip_if_opted_out(enquiry=enquiry, by=None)
    logger.info("foi routing %s forwarded (%s)", routing.pk, routing.backend)


def _acknowledge(enquiry: Enquiry, routing: FoiRouting) -> None:
    """Tell the requester where the request went; in both languages, as we do not know theirs.
    Not tied to the enquiry, so an opted-out request's stripping does not take it along; the
    address is forgotten once sent. It is in the enquiry's thread (a message linked to it)."""
    journalist = enquiry.journalist
    if journalist is None or not journalist.email:
        return  # e.g. a call reclassified by an officer: they were told on the phone
    context = _request_context(enquiry)
    mail = outbox.queue_email(
        kind=ACKNOWLEDGEMENT_KIND,
        to=journalist.email,
        subject=_subject("enquiries/emails/foi_acknowledgement_subject.txt", context),
        body=render_to_string("enquiries/emails/foi_acknowledgement_body.txt", context),
        key=f"foi-acknowledgement:{routing.idempotency_key}",
        wipe_recipient=True,
        public=True,  # nobody confirmed the address: fixed text only (DESIGN rule 9), capped
        thread=enquiry,
    )
    # In the thread (which an opted-out request's stripping empties); the row stays apart.
    thread_entries.add_to_thread(enquiry=enquiry, mail=mail, by=None)


# --- The webhook backend -------------------------------------------------------------------


def _payload(routing: FoiRouting) -> dict[str, object]:
    enquiry = routing.enquiry
    journalist = enquiry.journalist
    outlet = _outlet_of(enquiry)
    return {
        "idempotency_key": str(routing.idempotency_key),
        "reference": enquiry.reference,
        "received_at": enquiry.received_at.isoformat(),
        "channel": enquiry.channel,
        "subject": enquiry.topic,
        "text": enquiry.details,
        "requester": {
            "name": journalist.full_name if journalist else "",
            "email": (journalist.email or "") if journalist else "",
            "phone": (journalist.mobile or journalist.phone) if journalist else "",
            "outlet": outlet.name if outlet else "",
        },
    }


def _case_number(receipt: str) -> str:
    try:
        return str(json.loads(receipt or "{}").get("case_number", ""))[:100]
    except (ValueError, AttributeError):
        return ""


@dataclass(frozen=True)
class ArchiveWebhook:
    """The outbox transport that posts a routing to the archive system. The archive knows a
    repeat by its idempotency key, so a post interrupted by a dead worker is simply re-sent."""

    repeat_is_safe: bool = True

    def send(self, mail: OutboundEmail) -> str:
        routing = (
            FoiRouting.objects.select_related("enquiry__journalist__outlet", "enquiry__outlet")
            .filter(delivery_id=mail.pk)
            .first()
        )
        if routing is None:
            msg = "no FOI routing for this delivery"
            raise outbox.PermanentFailure(msg)
        try:
            receipt = foi_webhook.post(
                url=settings.PRESSDESK_FOI_WEBHOOK_URL,
                secret=settings.PRESSDESK_FOI_WEBHOOK_SECRET,
                payload=_payload(routing),
                idempotency_key=str(routing.idempotency_key),
                allow_http=settings.DEBUG or settings.PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP,
            )
        except foi_webhook.WebhookUnavailable as exc:
            raise outbox.TransientFailure(exc.reason) from exc
        except foi_webhook.WebhookRejected as exc:
            raise outbox.PermanentFailure(exc.reason) from exc
        return json.dumps({"case_number": receipt.case_number})


# --- The desk's actions --------------------------------------------------------------------


@transaction.atomic
def retry_now(*, routing_id: int, by: AbstractBaseUser | None) -> bool:
    """ "Retry now" on a failed routing; its retry window starts again."""
    routing = FoiRouting.objects.select_for_update().filter(pk=routing_id).first()
    if routing is None or routing.status != FoiRouting.Status.FAILED:
        return False
    if routing.delivery_id is None or not outbox.retry(email_id=routing.delivery_id):
        return False
    audit.record(
        actor=by,
        action=AuditAction.FOI_ROUTING_RETRIED,
        enquiry_id=routing.enquiry_id,
        detail={"routing_id": routing.pk},
    )
    return True


@transaction.atomic
def record_case_number(*, routing_id: int, case_number: str, by: AbstractBaseUser | None) -> None:
    case_number = case_number.strip()
    if not case_number or len(case_number) > 100 or has_control_characters(case_number):
        msg = _("Enter the registry's case number, e.g. 2026/1234.")
        raise ValidationError({"case_number": msg})
    routing = FoiRouting.objects.select_for_update().get(pk=routing_id)
    if routing.case_number == case_number:
        return
    routing.case_number = case_number
    routing.save(update_fields=["case_number"])
    audit.record(
        actor=by,
        action=AuditAction.FOI_CASE_NUMBER,
        enquiry_id=routing.enquiry_id,
        detail={"routing_id": routing.pk},
    )
