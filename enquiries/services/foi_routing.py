"""Requests for access to documents go to the post registry, exactly once (DESIGN.md rule 6).

- `open_routing` runs in the transaction that makes an enquiry kind FOI (the form's box, an
  officer's reclassification, an officer logging one). It writes the FoiRouting row and, by
  e-mail, the registry's mail in the outbox, whose relay gives the e-mail guarantees: one
  send per row, retries with backoff, the sweeper for what Redis lost.
- By e-mail the routing follows its mail (`follow_email`, called by the outbox in the same
  transaction as each change of the mail's state). By webhook the routing is claimed and
  retried itself (`deliver_webhook`), and the archive system's case number is recorded.
- Once forwarded, the enquiry becomes "routed" (it leaves the press queue), the requester is
  acknowledged through the outbox, and an opted-out request keeps nothing personal.
- A routing not forwarded an hour after the request was received is an alert on the desk.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enquiries import selectors
from enquiries.models import AuditAction, Enquiry, FoiRouting, OutboundEmail, Outlet
from enquiries.normalise import has_control_characters
from enquiries.services import audit, foi_webhook, outbox, privacy

logger = logging.getLogger(__name__)

ROUTING_MAIL_KIND = "foi_routing"
ACKNOWLEDGEMENT_KIND = "foi_acknowledgement"

_MAIL_TO_ROUTING = {
    OutboundEmail.Status.QUEUED: FoiRouting.Status.QUEUED,
    OutboundEmail.Status.SENDING: FoiRouting.Status.SENDING,
    OutboundEmail.Status.SENT: FoiRouting.Status.SENT,
    OutboundEmail.Status.FAILED: FoiRouting.Status.FAILED,
}


def _dispatch(routing_id: int) -> None:
    from enquiries.tasks import dispatch, route_foi

    dispatch(route_foi, routing_id)


def _outlet_of(enquiry: Enquiry) -> Outlet | None:
    journalist = enquiry.journalist
    return enquiry.outlet or (journalist.outlet if journalist else None)


def _request_context(enquiry: Enquiry) -> dict[str, object]:
    return {
        "enquiry": enquiry,
        "journalist": enquiry.journalist,
        "outlet": _outlet_of(enquiry),
        "desk": selectors.desk_settings(),
    }


def _subject(template: str, context: dict[str, object]) -> str:
    """A rendered subject on one line, in Bokmål (the registry journals in Norwegian)."""
    with translation.override(settings.LANGUAGE_CODE):
        return " ".join(render_to_string(template, context).split())[:300]


def open_routing(*, enquiry: Enquiry, by: AbstractBaseUser | None) -> FoiRouting:
    """Queue the forwarding of an FOI enquiry, in the caller's transaction; once only."""
    routing, created = FoiRouting.objects.get_or_create(
        enquiry=enquiry, defaults={"backend": settings.PRESSDESK_FOI_BACKEND}
    )
    if not created:
        return routing
    if routing.backend == FoiRouting.Backend.EMAIL:
        context = _request_context(enquiry)
        # The registry journals in Norwegian, whatever language the requester used.
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("enquiries/emails/foi_routing_body.txt", context)
        journalist = enquiry.journalist
        routing.email = outbox.queue_email(
            kind=ROUTING_MAIL_KIND,
            to=selectors.desk_settings().post_registry_email,
            reply_to=(journalist.email or "") if journalist else "",
            subject=_subject("enquiries/emails/foi_routing_subject.txt", context),
            body=body,
            key=f"foi-routing:{routing.idempotency_key}",
            enquiry=enquiry,
        )
        routing.save(update_fields=["email"])
    else:
        transaction.on_commit(lambda: _dispatch(routing.pk))
    audit.record(
        actor=by,
        action=AuditAction.FOI_ROUTING_QUEUED,
        enquiry_id=enquiry.pk,
        detail={"routing_id": routing.pk, "backend": routing.backend},
    )
    return routing


def cancel_unsent(*, enquiry: Enquiry, by: AbstractBaseUser | None) -> None:
    """An officer undoes a mistaken reclassification: only while nothing has gone out."""
    routing = FoiRouting.objects.select_for_update().filter(enquiry=enquiry).first()
    if routing is None:
        return
    if routing.status != FoiRouting.Status.FAILED:
        msg = _("This request has been forwarded, or is being forwarded, to the post registry.")
        raise ValidationError({"kind": msg})
    if routing.email_id:
        OutboundEmail.objects.filter(pk=routing.email_id).delete()
    routing.delete()
    audit.record(actor=by, action=AuditAction.FOI_ROUTING_CANCELLED, enquiry_id=enquiry.pk)


# --- Outcomes ------------------------------------------------------------------------------


def follow_email(*, email_id: int) -> None:
    """Copy the registry mail's state onto its routing; on "sent", the request is forwarded."""
    routing = FoiRouting.objects.select_for_update().filter(email_id=email_id).first()
    if routing is None or routing.status == FoiRouting.Status.SENT:
        return
    mail = OutboundEmail.objects.get(pk=email_id)
    if mail.status == OutboundEmail.Status.SENT:
        routing.attempts = mail.attempts
        _forwarded(routing, case_number="")
        return
    FoiRouting.objects.filter(pk=routing.pk).update(
        status=_MAIL_TO_ROUTING[OutboundEmail.Status(mail.status)],
        attempts=mail.attempts,
        last_error=mail.last_error,
        claimed_at=mail.claimed_at,
        next_attempt_at=mail.next_attempt_at,
    )


def _forwarded(routing: FoiRouting, *, case_number: str) -> None:
    """Mark the routing sent, the enquiry routed, and acknowledge the requester."""
    now = timezone.now()
    routing.status = FoiRouting.Status.SENT
    routing.sent_at = now
    routing.last_error = ""
    routing.claimed_at = None
    if case_number:
        routing.case_number = case_number
    routing.save()
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("journalist")
        .get(pk=routing.enquiry_id)
    )
    _acknowledge(enquiry, routing)
    enquiry.status = Enquiry.Status.ROUTED
    enquiry.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=None,
        action=AuditAction.ENQUIRY_STATUS,
        enquiry_id=enquiry.pk,
        detail={"status": Enquiry.Status.ROUTED.value},
    )
    privacy.strip_if_opted_out(enquiry=enquiry, by=None)
    logger.info("foi routing %s forwarded (%s)", routing.pk, routing.backend)


def _acknowledge(enquiry: Enquiry, routing: FoiRouting) -> None:
    """Tell the requester where the request went; in both languages, as we do not know theirs.
    Not tied to the enquiry, so an opted-out request's stripping does not take it along; the
    address is forgotten once sent."""
    journalist = enquiry.journalist
    if journalist is None or not journalist.email:
        return  # e.g. a call reclassified by an officer: they were told on the phone
    context = _request_context(enquiry)
    outbox.queue_email(
        kind=ACKNOWLEDGEMENT_KIND,
        to=journalist.email,
        subject=_subject("enquiries/emails/foi_acknowledgement_subject.txt", context),
        body=render_to_string("enquiries/emails/foi_acknowledgement_body.txt", context),
        key=f"foi-acknowledgement:{routing.idempotency_key}",
        wipe_recipient=True,
    )


@transaction.atomic
def mark_failed(*, routing_id: int, reason: str) -> str:
    FoiRouting.objects.filter(pk=routing_id).exclude(status=FoiRouting.Status.SENT).update(
        status=FoiRouting.Status.FAILED, last_error=reason[:300], claimed_at=None
    )
    logger.warning("foi routing %s failed: %s", routing_id, reason)
    return "failed"


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


def deliver_webhook(*, routing_id: int) -> str:
    """Post the routing if it is still queued; raises outbox.TransientFailure to be retried."""
    claimed = FoiRouting.objects.filter(
        pk=routing_id, status=FoiRouting.Status.QUEUED, backend=FoiRouting.Backend.WEBHOOK
    ).update(
        status=FoiRouting.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    if not claimed:
        return "skipped: not queued"
    routing = FoiRouting.objects.select_related(
        "enquiry__journalist__outlet", "enquiry__outlet"
    ).get(pk=routing_id)
    try:
        receipt = foi_webhook.post(
            url=settings.PRESSDESK_FOI_WEBHOOK_URL,
            secret=settings.PRESSDESK_FOI_WEBHOOK_SECRET,
            payload=_payload(routing),
            idempotency_key=str(routing.idempotency_key),
        )
    except foi_webhook.WebhookUnavailable as exc:
        FoiRouting.objects.filter(pk=routing_id, status=FoiRouting.Status.SENDING).update(
            status=FoiRouting.Status.QUEUED,
            last_error=exc.reason[:300],
            claimed_at=None,
            next_attempt_at=timezone.now(),
        )
        logger.warning("foi routing %s: archive unavailable (%s), will retry", routing_id, exc)
        raise outbox.TransientFailure(exc.reason) from exc
    except foi_webhook.WebhookRejected as exc:
        return mark_failed(routing_id=routing_id, reason=f"refused by the archive ({exc.reason})")
    with transaction.atomic():
        routing = FoiRouting.objects.select_for_update().get(pk=routing_id)
        if routing.status == FoiRouting.Status.SENT:
            return "skipped: already forwarded"
        _forwarded(routing, case_number=receipt.case_number)
    return "sent"


def gives_up(*, routing_id: int) -> bool:
    queued_at = FoiRouting.objects.filter(pk=routing_id).values_list("queued_at", flat=True)
    first = queued_at.first()
    window = timedelta(seconds=settings.PRESSDESK_FOI_RETRY_SECONDS)
    return first is None or timezone.now() - first >= window


def postpone(*, routing_id: int, seconds: int) -> None:
    FoiRouting.objects.filter(pk=routing_id, status=FoiRouting.Status.QUEUED).update(
        next_attempt_at=timezone.now() + timedelta(seconds=seconds)
    )


# --- The desk's actions --------------------------------------------------------------------


@transaction.atomic
def retry_now(*, routing_id: int, by: AbstractBaseUser | None) -> bool:
    """ "Retry now" on a failed routing; its retry window starts again."""
    routing = FoiRouting.objects.select_for_update().filter(pk=routing_id).first()
    if routing is None or routing.status != FoiRouting.Status.FAILED:
        return False
    if routing.backend == FoiRouting.Backend.EMAIL:
        if routing.email_id is None or not outbox.retry(email_id=routing.email_id):
            return False
    else:
        now = timezone.now()
        FoiRouting.objects.filter(pk=routing.pk).update(
            status=FoiRouting.Status.QUEUED, last_error="", queued_at=now, next_attempt_at=now
        )
        transaction.on_commit(lambda: _dispatch(routing.pk))
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


# --- The sweeper ---------------------------------------------------------------------------


def sweep() -> dict[str, int]:
    """Webhook routings: re-dispatch those whose task was lost; re-queue those a dead worker
    left "sending" (the archive recognises a repeat by its idempotency key, so unlike an
    e-mail a second post is safe). E-mail routings are swept with the outbox."""
    now = timezone.now()
    lost_after = timedelta(seconds=settings.PRESSDESK_OUTBOX_LOST_AFTER_SECONDS)
    webhooks = FoiRouting.objects.filter(backend=FoiRouting.Backend.WEBHOOK)
    revived = webhooks.filter(
        status=FoiRouting.Status.SENDING, claimed_at__lt=now - outbox.STUCK_AFTER
    ).update(status=FoiRouting.Status.QUEUED, claimed_at=None, next_attempt_at=now - lost_after)
    lost = list(
        webhooks.filter(status=FoiRouting.Status.QUEUED, next_attempt_at__lte=now - lost_after)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    for routing_id in lost:
        _dispatch(routing_id)
    return {"routings_redispatched": len(lost), "routings_revived": revived}
