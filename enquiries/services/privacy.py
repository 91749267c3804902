"""Opt-out, standing opt-out, erasure and access: DESIGN.md rules 3, 4 and 8.

Everything personal about a journalist lives in Journalist rows and in their enquiries'
topic, details and messages (and, where it was indexed, in the stored search vector). These
functions are the one place that empties them.
"""

import hmac
from collections.abc import Iterable
from datetime import date, datetime
from hashlib import sha256

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enquiries.errors import (
    ExtensionTooLong,
    NothingToMatch,
    RequestNotOpen,
    RightsRequestNotFound,
)
from enquiries.models import (
    AuditAction,
    AuditEvent,
    ContactKind,
    Enquiry,
    ErasureReceipt,
    FoiRouting,
    Journalist,
    Message,
    OutboundEmail,
    RightsRequest,
    SelfServiceLink,
    Suppression,
)
from enquiries.normalise import normalise_email, normalise_phone
from enquiries.services import audit, search_index

# --- Standing opt-outs -----------------------------------------------------------------------


def contact_hash(*, kind: str, normalised: str) -> str:
    """HMAC-SHA256 of a normalised address or number; the same input always gives the same key."""
    key = settings.PRESSDESK_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{normalised}".encode(), sha256).hexdigest()


def _hashes(*, email: str | None, phones: Iterable[str]) -> list[tuple[str, str]]:
    found = []
    if email and email.strip():
        found.append(
            (
                ContactKind.EMAIL,
                contact_hash(kind=ContactKind.EMAIL, normalised=normalise_email(email)),
            )
        )
    for phone in phones:
        if phone and phone.strip():
            number = normalise_phone(phone)
            found.append(
                (ContactKind.PHONE, contact_hash(kind=ContactKind.PHONE, normalised=number))
            )
    return found


@transaction.atomic
def register_standing_opt_out(
    *, by: AbstractBaseUser | None, email: str | None = None, phone: str | None = None
) -> int:
    """Remember the wish not to be logged; returns how many new keys were stored."""
    hashes = _hashes(email=email, phones=[phone] if phone else [])
    if not hashes:
        raise NothingToMatch
    created = 0
    for kind, key in hashes:
        _row, was_new = Suppression.objects.get_or_create(key_hash=key, defaults={"kind": kind})
        created += was_new
    audit.record(actor=by, action=AuditAction.OPT_OUT_REGISTERED, detail={"new": created})
    return created


@transaction.atomic
def withdraw_standing_opt_out(
    *, by: AbstractBaseUser | None, email: str | None = None, phone: str | None = None
) -> int:
    hashes = _hashes(email=email, phones=[phone] if phone else [])
    if not hashes:
        raise NothingToMatch
    removed, _ = Suppression.objects.filter(key_hash__in=[key for _, key in hashes]).delete()
    audit.record(actor=by, action=AuditAction.OPT_OUT_WITHDRAWN, detail={"removed": removed})
    return removed


def is_suppressed(*, email: str | None = None, phones: Iterable[str] = ()) -> bool:
    hashes = _hashes(email=email, phones=phones)
    return bool(hashes) and Suppression.objects.filter(key_hash__in=[k for _, k in hashes]).exists()


def journalist_is_suppressed(journalist: Journalist | None) -> bool:
    if journalist is None:
        return False
    return is_suppressed(email=journalist.email, phones=[journalist.phone, journalist.mobile])


# --- Removing personal data --------------------------------------------------------------


def strip_enquiries(*, enquiry_ids: list[int]) -> tuple[int, int]:
    """Empty enquiries down to their anonymous tally: date, channel, kind, status, category.

    Deletes their messages and the journalists left with no enquiry. Call inside a
    transaction. Returns (enquiries emptied, messages removed).
    """
    if not enquiry_ids:
        return 0, 0
    journalist_ids = set(
        Enquiry.objects.filter(pk__in=enquiry_ids, journalist__isnull=False).values_list(
            "journalist_id", flat=True
        )
    )
    messages, _ = Message.objects.filter(enquiry_id__in=enquiry_ids).delete()
    # Mail about these enquiries, sent or waiting, holds their text and addresses. An FOI
    # request erased before it was forwarded cannot be forwarded any more: say so on the desk.
    OutboundEmail.objects.filter(enquiry_id__in=enquiry_ids).delete()
    FoiRouting.objects.filter(enquiry_id__in=enquiry_ids).exclude(
        status=FoiRouting.Status.SENT
    ).update(
        status=FoiRouting.Status.FAILED,
        last_error="personal data removed before it was forwarded",
    )
    emptied = Enquiry.objects.filter(pk__in=enquiry_ids).update(
        topic="",
        details="",
        journalist=None,
        outlet=None,
        search_vector=None,
        updated_at=timezone.now(),
    )
    orphans = Journalist.objects.filter(pk__in=journalist_ids, enquiries__isnull=True)
    orphan_ids = list(orphans.values_list("pk", flat=True))
    orphans.delete()
    AuditEvent.objects.filter(journalist_id__in=orphan_ids).update(journalist_id=None)
    return emptied, messages


@transaction.atomic
def strip_if_opted_out(*, enquiry: Enquiry, by: AbstractBaseUser | None) -> bool:
    """The opt-out promise: once answered or closed, nothing personal is left."""
    if not enquiry.opted_out or enquiry.status in Enquiry.OPEN_STATUSES:
        return False
    strip_enquiries(enquiry_ids=[enquiry.pk])
    audit.record(actor=by, action=AuditAction.PERSONAL_DATA_STRIPPED, enquiry_id=enquiry.pk)
    return True


def _matching_journalists(*, email: str | None, phone: str | None) -> list[Journalist]:
    query = Q()
    if email and email.strip():
        query |= Q(email=normalise_email(email))
    if phone and phone.strip():
        number = normalise_phone(phone)
        query |= Q(phone=number) | Q(mobile=number)
    if not query:
        raise NothingToMatch
    return list(Journalist.objects.select_for_update().filter(query))


def _scrub_mentions(*, needles: list[str]) -> int:
    """Replace an erased address or number where it appears in other enquiries' e-mails."""
    scrubbed = 0
    for needle in needles:
        hits = Message.objects.filter(
            Q(from_address__icontains=needle)
            | Q(to_address__icontains=needle)
            | Q(body__icontains=needle)
        )
        enquiry_ids = set(hits.values_list("enquiry_id", flat=True))
        for message in hits:
            for field in ("from_address", "to_address", "body", "subject"):
                value = getattr(message, field)
                setattr(message, field, _replace_insensitive(value, needle, "[erased]"))
            message.save(update_fields=["from_address", "to_address", "body", "subject"])
            scrubbed += 1
        search_index.refresh(enquiry_ids=enquiry_ids)
    return scrubbed


def _replace_insensitive(text: str, needle: str, replacement: str) -> str:
    lowered, target, out, start = text.casefold(), needle.casefold(), [], 0
    if len(lowered) != len(text):  # case-folding changed lengths (e.g. ß): fall back to exact
        return text.replace(needle, replacement)
    while (found := lowered.find(target, start)) != -1:
        out.append(text[start:found] + replacement)
        start = found + len(needle)
    return "".join(out) + text[start:]


@transaction.atomic
def erase_contact(
    *,
    by: AbstractBaseUser | None,
    via: str,
    email: str | None = None,
    phone: str | None = None,
) -> ErasureReceipt:
    """Erase a journalist everywhere; the same receipt whether or not anyone was found.

    Matches by normalised e-mail and by normalised phone or mobile. Their enquiries keep only
    the anonymous tally; their messages go; other enquiries' e-mails that mention the address
    or number have it replaced; audit events lose the journalist's id. Idempotent.
    """
    journalists = _matching_journalists(email=email, phone=phone)
    journalist_ids = [j.pk for j in journalists]
    needles = sorted(
        {value for j in journalists for value in (j.email, j.phone, j.mobile) if value}
        | ({normalise_email(email)} if email and email.strip() else set())
        | ({normalise_phone(phone)} if phone and phone.strip() else set())
    )
    enquiry_ids = list(
        Enquiry.objects.filter(journalist_id__in=journalist_ids).values_list("pk", flat=True)
    )
    emptied, messages = strip_enquiries(enquiry_ids=enquiry_ids)  # drops those left with none
    Journalist.objects.filter(pk__in=journalist_ids).delete()
    scrubbed_events = AuditEvent.objects.filter(journalist_id__in=journalist_ids).update(
        journalist_id=None
    )
    mentions = _scrub_mentions(needles=needles)
    # Mail to or from them goes, queued or sent, whether or not it belongs to an enquiry
    # (a self-service link, a notice): its row holds the address.
    OutboundEmail.objects.filter(Q(to_address__in=needles) | Q(reply_to__in=needles)).delete()
    # So do links waiting to be used: each holds the address it would act on.
    SelfServiceLink.objects.filter(email__in=needles).delete()
    receipt = ErasureReceipt.objects.create(
        by_id=by.pk if by is not None and by.is_authenticated else None,
        via=via,
        journalists=len(journalist_ids),
        enquiries=emptied,
        messages=messages,
        mentions=mentions,
        audit_events=scrubbed_events,
    )
    audit.record(actor=by, action=AuditAction.JOURNALIST_ERASED, detail={"receipt": receipt.pk})
    return receipt


# --- Access and portability ----------------------------------------------------------------


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def export_contact(
    *, by: AbstractBaseUser | None, email: str | None = None, phone: str | None = None
) -> dict[str, object]:
    """Everything held about a journalist, their enquiries and e-mails; nothing about others."""
    journalists = (
        Journalist.objects.filter(
            pk__in=[j.pk for j in _matching_journalists(email=email, phone=phone)]
        )
        .select_related("outlet")
        .prefetch_related("enquiries__messages", "enquiries__topic_category")
    )
    people = []
    for journalist in journalists:
        people.append(
            {
                "first_name": journalist.first_name,
                "last_name": journalist.last_name,
                "email": journalist.email,
                "phone": journalist.phone,
                "mobile": journalist.mobile,
                "outlet": journalist.outlet.name if journalist.outlet else None,
                "registered_at": _iso(journalist.created_at),
                "enquiries": [
                    {
                        "reference": enquiry.reference,
                        "received_at": _iso(enquiry.received_at),
                        "channel": enquiry.channel,
                        "kind": enquiry.kind,
                        "status": enquiry.status,
                        "topic": enquiry.topic,
                        "details": enquiry.details,
                        "deadline": _iso(enquiry.deadline),
                        "topic_category": enquiry.topic_category.name
                        if enquiry.topic_category
                        else None,
                        "messages": [
                            {
                                "direction": message.direction,
                                "date": _iso(message.sent_at),
                                "from": message.from_address,
                                "to": message.to_address,
                                "subject": message.subject,
                                "body": message.body,
                            }
                            for message in enquiry.messages.all()
                        ],
                    }
                    for enquiry in journalist.enquiries.all()
                ],
            }
        )
        audit.record(actor=by, action=AuditAction.JOURNALIST_EXPORTED, journalist_id=journalist.pk)
    return {"exported_at": _iso(timezone.now()), "journalists": people}


# --- Rights requests on the clock ----------------------------------------------------------


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@transaction.atomic
def open_rights_request(
    *,
    by: AbstractBaseUser | None,
    kind: str,
    channel: str,
    received_at: datetime | None = None,
    journalist: Journalist | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> RightsRequest:
    """Register a request; due one calendar month after receipt (GDPR art. 12(3)).

    An objection (art. 21) takes effect at once as a standing opt-out when an address or
    number is given.
    """
    received_at = received_at or timezone.now()
    request = RightsRequest(
        kind=kind,
        channel=channel,
        received_at=received_at,
        due_date=_local_date(received_at) + relativedelta(months=1),
        journalist=journalist,
        created_by=by if by is not None and by.is_authenticated else None,
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


def _locked_request(request_id: int) -> RightsRequest:
    request = RightsRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise RightsRequestNotFound
    return request


@transaction.atomic
def extend_rights_request(
    *,
    request_id: int,
    by: AbstractBaseUser | None,
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
    *, request_id: int, by: AbstractBaseUser | None, status: str = RightsRequest.Status.DONE
) -> RightsRequest:
    request = _locked_request(request_id)
    if request.status != RightsRequest.Status.OPEN:
        raise RequestNotOpen
    request.status = status
    request.completed_at = timezone.now()
    request.save(update_fields=["status", "completed_at"])
    audit.record(actor=by, action=AuditAction.RIGHTS_REQUEST_CLOSED, detail={"request": request.pk})
    return request
