"""Working an enquiry on the desk: status, assignment and the message thread."""

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enquiries.core import audit, search_index
from enquiries.core.errors import EnquiryAnonymised, EnquiryNotFound, InvalidTransition
from enquiries.core.normalise import has_control_characters
from enquiries.foi import routing as foi_routing
from enquiries.handling import contacts
from enquiries.handling.duty import received_out_of_hours
from enquiries.handling.rules import check_rules
from enquiries.models import AuditAction, Enquiry, Message
from enquiries.privacy.erasure import strip_if_opted_out

# Where each status may go from the desk; ROUTED belongs to the FOI routing alone.
_ALLOWED = {
    Enquiry.Status.NEW: {
        Enquiry.Status.IN_PROGRESS,
        Enquiry.Status.ANSWERED,
        Enquiry.Status.CLOSED,
    },
    Enquiry.Status.IN_PROGRESS: {
        Enquiry.Status.NEW,
        Enquiry.Status.ANSWERED,
        Enquiry.Status.CLOSED,
    },
    Enquiry.Status.ANSWERED: {Enquiry.Status.IN_PROGRESS, Enquiry.Status.CLOSED},
    Enquiry.Status.CLOSED: {Enquiry.Status.IN_PROGRESS},
    Enquiry.Status.ROUTED: set(),
}


def _locked(enquiry_id: int) -> Enquiry:
    try:
        return Enquiry.objects.select_for_update().get(pk=enquiry_id)
    except Enquiry.DoesNotExist as exc:
        raise EnquiryNotFound from exc


@transaction.atomic
def change_status(*, enquiry_id: int, status: str, by: User | None) -> Enquiry:
    enquiry = _locked(enquiry_id)
    target = Enquiry.Status(status)
    if target == enquiry.status:
        return enquiry
    if enquiry.anonymised_at is not None:
        raise EnquiryAnonymised(reference=enquiry.reference)
    if target not in _ALLOWED[Enquiry.Status(enquiry.status)]:
        raise InvalidTransition(
            reference=enquiry.reference,
            current=enquiry.get_status_display(),
            target=target.label,
        )
    now = timezone.now()
    previous = enquiry.status
    enquiry.status = target
    fields = ["status", "updated_at"]
    if target == Enquiry.Status.ANSWERED and enquiry.answered_at is None:
        enquiry.answered_at = now
        fields.append("answered_at")
    if target == Enquiry.Status.CLOSED:
        enquiry.closed_at = now
        fields.append("closed_at")
    enquiry.save(update_fields=fields)
    audit.record(
        actor=by,
        action=AuditAction.ENQUIRY_STATUS,
        enquiry_id=enquiry.pk,
        detail={"status": target.value, "from": previous},
    )
    if strip_if_opted_out(enquiry=enquiry, by=by):
        enquiry.refresh_from_db()
    return enquiry


@transaction.atomic
def assign(*, enquiry_id: int, officer_id: int | None, by: User | None) -> Enquiry:
    enquiry = _locked(enquiry_id)
    if enquiry.assigned_to_id == officer_id:
        return enquiry
    enquiry.assigned_to_id = officer_id
    enquiry.save(update_fields=["assigned_to", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.ENQUIRY_ASSIGNED,
        enquiry_id=enquiry.pk,
        detail={"officer_id": officer_id},
    )
    return enquiry


def add_message(
    *,
    enquiry_id: int,
    by: User | None,
    direction: str,
    body: str,
    sent_at: datetime | None = None,
    from_address: str = "",
    to_address: str = "",
    subject: str = "",
    message_id: str = "",
    automatic: bool = False,
) -> Message:
    """An internal note, or an e-mail pasted in or received; the search index follows."""
    if any(has_control_characters(header) for header in (from_address, to_address, subject)):
        raise ValidationError(_("Headers cannot contain line breaks or control characters."))
    message = Message(
        enquiry_id=enquiry_id,
        direction=direction,
        sent_at=sent_at or timezone.now(),
        from_address=from_address.strip(),
        to_address=to_address.strip(),
        subject=subject.strip(),
        body=body.strip(),
        message_id=message_id.strip(),
        automatic=automatic,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    message.full_clean(exclude=["enquiry"], validate_constraints=False)
    # Checked before the writes, which need no savepoint of their own then (two round trips
    # on every mail the inbox takes in): only a failing statement ends a caller's block.
    with transaction.atomic(savepoint=False):
        # The thread changed now: one UPDATE, which also holds the enquiry's row till commit.
        found = Enquiry.objects.filter(pk=enquiry_id).update(updated_at=timezone.now())
        if found:
            message.save()
            search_index.refresh(enquiry_ids=[enquiry_id])
            audit.record(
                actor=by,
                action=AuditAction.MESSAGE_ADDED,
                enquiry_id=enquiry_id,
                detail={"message_id": message.pk, "direction": direction},
            )
    if not found:
        raise EnquiryNotFound
    return message


ENQUIRY_EDITABLE = (
    "received_at",
    "channel",
    "kind",
    "outlet",
    "topic",
    "details",
    "deadline",
    "topic_category",
    "opted_out",
)


@transaction.atomic
def update_enquiry(*, enquiry_id: int, by: User | None, **changes: object) -> Enquiry:
    """Change an enquiry's fields (any of ENQUIRY_EDITABLE) under the rules of intake;
    the audit event names the fields changed, never their values. `outlet_name` instead of
    `outlet` finds or creates the outlet by name in the same transaction."""
    if "outlet_name" in changes:
        name = str(changes.pop("outlet_name") or "")
        changes["outlet"] = contacts.find_or_create_outlet(name=name) if name else None
    unknown = set(changes) - set(ENQUIRY_EDITABLE)
    if unknown:
        msg = f"Not editable enquiry fields: {sorted(unknown)}"
        raise TypeError(msg)
    enquiry = _locked(enquiry_id)
    changed = [name for name, value in changes.items() if getattr(enquiry, name) != value]
    if not changed:
        return enquiry
    if "kind" in changed and enquiry.kind == Enquiry.Kind.FOI:
        foi_routing.cancel_unsent(enquiry=enquiry, by=by)  # refused once it has gone
    for name in changed:
        value = changes[name]
        setattr(enquiry, name, value.strip() if isinstance(value, str) else value)
    if {"topic", "details", "received_at", "deadline"} & set(changed):
        check_rules(
            topic=enquiry.topic,
            details=enquiry.details,
            received_at=enquiry.received_at,
            deadline=enquiry.deadline,
        )
    if "received_at" in changed:
        enquiry.out_of_hours = received_out_of_hours(enquiry.received_at)
    enquiry.full_clean(validate_unique=False, validate_constraints=False)
    enquiry.save(update_fields=[*changed, "out_of_hours", "updated_at"])
    if {"topic", "details"} & set(changed):
        search_index.refresh(enquiry_ids=[enquiry.pk])
    audit.record(
        actor=by,
        action=AuditAction.ENQUIRY_CHANGED,
        enquiry_id=enquiry.pk,
        detail={"fields": changed},
    )
    if "kind" in changed and enquiry.kind == Enquiry.Kind.FOI:
        # An officer's reclassification: forwarded in this transaction; received_at stays,
        # as the time the request reached the agency.
        foi_routing.open_routing(enquiry=enquiry, by=by)
    return enquiry
