"""Rights requests on the clock: opened, extended, completed."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enquiries.core import audit
from enquiries.core.errors import ExtensionTooLong, RequestNotOpen, RightsRequestNotFound
from enquiries.core.normalise import normalise_email, normalise_phone
from enquiries.core.working_time import gdpr_due_date
from enquiries.models import AuditAction, Journalist, RightsRequest
from enquiries.privacy.opt_out import register_standing_opt_out


def contact_with(*, email: str | None, phone: str | None) -> Journalist | None:
    """The contact with this normalised address, or else this phone or mobile number."""
    if email:
        found = Journalist.objects.filter(email=normalise_email(email)).first()
        if found:
            return found
    if phone:
        number = normalise_phone(phone)
        return Journalist.objects.filter(Q(phone=number) | Q(mobile=number)).order_by("pk").first()
    return None


def _locked_request(request_id: int) -> RightsRequest:
    request = RightsRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise RightsRequestNotFound
    return request


@transaction.atomic
def open_rights_request(
    *,
    by: User | None,
    kind: str,
    channel: str,
    received_at: datetime | None = None,
    journalist: Journalist | None = None,
    email: str | None = None,
    phone: str | None = None,
    requester_name: str = "",
    identity_check: str = "",
) -> RightsRequest:
    """Register a request; due one calendar month after receipt (GDPR art. 12(3)). Who asked
    and how their identity was checked are kept with it (the name goes with an erasure).

    An objection (art. 21) takes effect at once as a standing opt-out when an address or
    number is given. Without a journalist, the contact with that address or number (if
    any) is the one the request is about, so their card lists it.
    """
    received_at = received_at or timezone.now()
    if journalist is None and (email or phone):
        journalist = contact_with(email=email, phone=phone)
    request = RightsRequest(
        kind=kind,
        channel=channel,
        received_at=received_at,
        due_date=gdpr_due_date(received_at),
        journalist=journalist,
        created_by=by if by is not None and by.is_authenticated else None,
        requester_name=" ".join(requester_name.split()),
        identity_check=identity_check,
    )
    request.full_clean()
    request.save()
    if kind == RightsRequest.Kind.OBJECTION:
        contact_email = email or (journalist.email if journalist else None)
        contact_phone = phone or (journalist.mobile or journalist.phone if journalist else None)
        if contact_email or contact_phone:
            register_standing_opt_out(by=by, email=contact_email, phone=contact_phone)
    audit.record(
        actor=by,
        action=AuditAction.RIGHTS_REQUEST_OPENED,
        journalist_id=journalist.pk if journalist else None,
        detail={"request": request.pk, "kind": kind},
    )
    return request


@transaction.atomic
def extend_rights_request(
    *,
    request_id: int,
    by: User | None,
    months: int,
    reason: str,
    requester_told_at: date,
) -> RightsRequest:
    """Extend by one or two further months, with the reason and when the requester was told."""
    request = _locked_request(request_id)
    if request.status != RightsRequest.Status.OPEN:
        raise RequestNotOpen
    if months not in (1, 2):
        raise ExtensionTooLong
    request.extended_due_date = request.due_date + relativedelta(months=months)
    request.extension_reason = reason.strip()
    request.requester_told_at = requester_told_at
    request.full_clean()
    request.save(update_fields=["extended_due_date", "extension_reason", "requester_told_at"])
    audit.record(
        actor=by, action=AuditAction.RIGHTS_REQUEST_EXTENDED, detail={"request": request.pk}
    )
    return request


@transaction.atomic
def complete_rights_request(
    *, request_id: int, by: User | None, status: str = RightsRequest.Status.DONE
) -> RightsRequest:
    request = _locked_request(request_id)
    if request.status != RightsRequest.Status.OPEN:
        raise RequestNotOpen
    request.status = status
    request.completed_at = timezone.now()
    request.save(update_fields=["status", "completed_at"])
    audit.record(actor=by, action=AuditAction.RIGHTS_REQUEST_CLOSED, detail={"request": request.pk})
    return request
