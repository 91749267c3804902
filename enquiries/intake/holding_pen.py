"""The holding pen: mail that waits for an officer (attach, make an enquiry, discard).

Each action is one transaction with its audit event (ids only); the held row goes, its
attachments move with the mail into the thread (or go with a discard).
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from enquiries.core import audit
from enquiries.core.errors import HeldMailNotFound, NoSuchReference
from enquiries.handling import contacts
from enquiries.handling import enquiries as handling
from enquiries.intake import log as intake
from enquiries.intake.inbound_mail import NO_SUBJECT, split_name
from enquiries.models import Attachment, AuditAction, Enquiry, HeldMail, Message

PAGE = 100


def held_mail() -> QuerySet[HeldMail]:
    listed = Prefetch("attachments", queryset=Attachment.objects.listed())
    return HeldMail.objects.prefetch_related(listed).order_by("-received_at", "-id")


def _locked(held_id: int) -> HeldMail:
    held = HeldMail.objects.select_for_update().filter(pk=held_id).first()
    if held is None:
        raise HeldMailNotFound
    return held


def _into_thread(held: HeldMail, enquiry: Enquiry, by: User) -> Message:
    message = handling.add_message(
        enquiry_id=enquiry.pk,
        by=by,
        direction=Message.Direction.INBOUND,
        body=held.body,
        sent_at=held.sent_at,
        from_address=held.from_address,
        to_address=held.to_address,
        subject=held.subject,
        automatic=held.reason == HeldMail.Reason.AUTO_REPLY,
    )
    Attachment.objects.filter(held_mail=held).update(held_mail=None, message=message)
    held.delete()
    return message


@transaction.atomic
def attach_to_enquiry(*, held_id: int, reference: str, by: User) -> Enquiry:
    held = _locked(held_id)
    enquiry = Enquiry.objects.filter(reference=reference.strip().upper()).first()
    if enquiry is None:
        raise NoSuchReference
    _into_thread(held, enquiry, by)
    audit.record(
        actor=by, action=AuditAction.HELD_MAIL_ATTACHED, enquiry_id=enquiry.pk,
        detail={"held_mail": held_id},
    )  # fmt: skip
    return enquiry


@transaction.atomic
def make_enquiry(*, held_id: int, by: User) -> Enquiry:
    held = _locked(held_id)
    journalist = None
    if held.from_address:
        journalist = contacts.find_journalist(email=held.from_address)
        if journalist is None:
            first, last = split_name(held.from_name, held.from_address)
            journalist = contacts.create_journalist(
                by=by, first_name=first, last_name=last, email=held.from_address
            )
    enquiry = intake.log_enquiry(
        by=by,
        channel=Enquiry.Channel.EMAIL,
        topic=(held.subject or NO_SUBJECT)[:200],
        journalist=journalist,
        received_at=held.received_at,
    )
    _into_thread(held, enquiry, by)
    audit.record(
        actor=by, action=AuditAction.HELD_MAIL_ENQUIRY, enquiry_id=enquiry.pk,
        detail={"held_mail": held_id},
    )  # fmt: skip
    return enquiry


@transaction.atomic
def discard(*, held_id: int, by: User) -> None:
    _locked(held_id).delete()
    audit.record(actor=by, action=AuditAction.HELD_MAIL_DISCARDED, detail={"held_mail": held_id})


def attachment_for_officer(*, attachment_id: int, by: User) -> Attachment | None:
    """A kept attachment, its download audited (ids only); None if missing or not kept."""
    found = (
        Attachment.objects.select_related("message")
        .filter(pk=attachment_id, content__isnull=False)
        .first()
    )
    if found is not None:
        audit.record(
            actor=by, action=AuditAction.ATTACHMENT_DOWNLOADED,
            enquiry_id=found.message.enquiry_id if found.message else None,
            detail={"attachment": found.pk, "held_mail": found.held_mail_id},
        )  # fmt: skip
    return found
