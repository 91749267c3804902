"""Erasure (DESIGN rule 4) and stripping an enquiry down to its anonymous tally."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from enquiries.core import audit, search_index
from enquiries.core.errors import NothingToMatch
from enquiries.core.normalise import normalise_email, normalise_phone
from enquiries.mail import outbox
from enquiries.models import (
    AuditAction,
    AuditEvent,
    Enquiry,
    ErasureReceipt,
    FoiRouting,
    HeldMail,
    Journalist,
    Message,
    OutboundEmail,
    Outlet,
    RightsRequest,
    SelfServiceLink,
)

# Why an enquiry was emptied, in its audit event (the history says it in words).
STRIPPED_FOR_ERASURE = "erasure"
STRIPPED_FOR_OPT_OUT = "opt_out"


def strip_enquiries(
    *, enquiry_ids: list[int], by: AbstractBaseUser | None, reason: str
) -> tuple[int, int]:
    """Empty enquiries down to their anonymous tally: date, channel, kind, category.

    Deletes their messages and the journalists left with no enquiry. An emptied enquiry is
    closed (a forwarded FOI request stays routed) and marked anonymised, so it leaves the
    queue and its counts; each gets an audit event saying why (ids and codes only). Call
    inside a transaction. Returns (enquiries emptied, messages removed).
    """
    if not enquiry_ids:
        return 0, 0
    now = timezone.now()
    previous = dict(Enquiry.objects.filter(pk__in=enquiry_ids).values_list("pk", "status"))
    journalist_ids = set(
        Enquiry.objects.filter(pk__in=enquiry_ids, journalist__isnull=False).values_list(
            "journalist_id", flat=True
        )
    )
    _, deleted = Message.objects.filter(enquiry_id__in=enquiry_ids).delete()  # with attachments
    messages = deleted.get("enquiries.Message", 0)
    # Mail about these enquiries, sent or waiting, holds their text and addresses. An FOI
    # request erased before it was forwarded cannot be forwarded any more: say so on the desk.
    OutboundEmail.objects.filter(enquiry_id__in=enquiry_ids).delete()
    FoiRouting.objects.filter(enquiry_id__in=enquiry_ids).exclude(
        status=FoiRouting.Status.SENT
    ).update(
        status=FoiRouting.Status.FAILED,
        last_error="personal data removed before it was forwarded",
    )
    # The outlet goes (a freelancer's outlet may be their name); its kind stays, for reports.
    Enquiry.objects.filter(pk__in=enquiry_ids, outlet__isnull=False).update(
        outlet_kind=Subquery(Outlet.objects.filter(pk=OuterRef("outlet_id")).values("kind")[:1])
    )
    emptied = Enquiry.objects.filter(pk__in=enquiry_ids).update(
        topic="",
        details="",
        form_details={},
        journalist=None,
        outlet=None,
        search_vector=None,
        anonymised_at=now,
        updated_at=now,
    )
    Enquiry.objects.filter(pk__in=enquiry_ids).exclude(
        status__in=[Enquiry.Status.CLOSED, Enquiry.Status.ROUTED]
    ).update(status=Enquiry.Status.CLOSED, closed_at=now)
    actor_id = by.pk if by is not None and by.is_authenticated else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now,
            actor_id=actor_id,
            action=AuditAction.PERSONAL_DATA_STRIPPED,
            enquiry_id=pk,
            detail={"reason": reason, "from": status},
        )
        for pk, status in previous.items()
    )
    orphans = Journalist.objects.filter(pk__in=journalist_ids, enquiries__isnull=True)
    orphan_ids = list(orphans.values_list("pk", flat=True))
    orphans.delete()
    AuditEvent.objects.filter(journalist_id__in=orphan_ids).update(journalist_id=None)
    audit.forget_journalists(orphan_ids)
    return emptied, messages


@transaction.atomic
def strip_if_opted_out(*, enquiry: Enquiry, by: AbstractBaseUser | None) -> bool:
    """The opt-out promise: once answered or closed, nothing personal is left. Mail the desk
    wrote about it (a reply, the forwarding) that is still on its way holds the strip: its
    owner strips the enquiry once it has gone (handling.replies, foi.routing)."""
    if not enquiry.opted_out or enquiry.status in Enquiry.OPEN_STATUSES:
        return False
    if OutboundEmail.objects.filter(
        enquiry=enquiry,
        recipient_key="",  # not the public receipts: they do not wait
        status__in=(OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING),
    ).exists():
        return False
    strip_enquiries(enquiry_ids=[enquiry.pk], by=by, reason=STRIPPED_FOR_OPT_OUT)
    return True


def matching_journalists(*, email: str | None, phone: str | None) -> list[Journalist]:
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


def _scrub_held_mentions(*, needles: list[str]) -> int:
    scrubbed = 0
    for needle in needles:
        hits = HeldMail.objects.filter(
            Q(to_address__icontains=needle) | Q(body__icontains=needle)
            | Q(subject__icontains=needle)
        )  # fmt: skip
        for held in hits:
            for field in ("to_address", "body", "subject"):
                setattr(held, field, _replace_insensitive(getattr(held, field), needle, "[erased]"))
            held.save(update_fields=["to_address", "body", "subject"])
            scrubbed += 1
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
    journalists = matching_journalists(email=email, phone=phone)
    journalist_ids = [j.pk for j in journalists]
    needles = sorted(
        {value for j in journalists for value in (j.email, j.phone, j.mobile) if value}
        | ({normalise_email(email)} if email and email.strip() else set())
        | ({normalise_phone(phone)} if phone and phone.strip() else set())
    )
    enquiry_ids = list(
        Enquiry.objects.filter(journalist_id__in=journalist_ids).values_list("pk", flat=True)
    )
    # Their rights requests stay on the clock and in the counts, without the requester's name.
    RightsRequest.objects.filter(journalist_id__in=journalist_ids).update(requester_name="")
    # Before the enquiries are stripped (which scrubs the contacts it leaves with none), so
    # the receipt counts every event that named them.
    scrubbed_events = AuditEvent.objects.filter(journalist_id__in=journalist_ids).update(
        journalist_id=None
    )
    scrubbed_events += audit.forget_journalists(journalist_ids)
    # Drops the journalists left with none.
    emptied, messages = strip_enquiries(enquiry_ids=enquiry_ids, by=by, reason=STRIPPED_FOR_ERASURE)
    Journalist.objects.filter(pk__in=journalist_ids).delete()
    mentions = _scrub_mentions(needles=needles)
    # Mail to or from them goes, queued or sent, whether or not it belongs to an enquiry
    # (a self-service link, a notice): its row holds the address, or its keyed hash.
    keys = [outbox.recipient_key(needle) for needle in needles if "@" in needle]
    copied = Q()
    for needle in needles:
        if "@" in needle:
            copied |= Q(cc__icontains=needle)  # a reply copied to them
    OutboundEmail.objects.filter(
        Q(to_address__in=needles) | Q(reply_to__in=needles) | Q(recipient_key__in=keys) | copied
    ).delete()
    # Mail of theirs waiting in the holding pen goes (with its attachments); other held mail
    # that names them has the address or number replaced.
    HeldMail.objects.filter(from_address__in=needles).delete()
    mentions += _scrub_held_mentions(needles=needles)
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
