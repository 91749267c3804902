"""Access and portability: everything held about a journalist, in one document."""

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from enquiries.core import audit
from enquiries.models import Attachment, AuditAction, HeldMail, Journalist
from enquiries.privacy.erasure import matching_journalists


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def export_contact(
    *, by: AbstractBaseUser | None, email: str | None = None, phone: str | None = None
) -> dict[str, object]:
    """Everything held about a journalist, their enquiries and e-mails; nothing about others."""
    journalists = (
        Journalist.objects.filter(
            pk__in=[j.pk for j in matching_journalists(email=email, phone=phone)]
        )
        .select_related("outlet")
        .prefetch_related(
            "enquiries__messages",
            Prefetch("enquiries__messages__attachments", queryset=Attachment.objects.listed()),
            "enquiries__topic_category",
        )
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
                        "given_on_the_form": enquiry.form_details,
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
                                "attachments": [
                                    {"name": a.filename, "type": a.content_type, "size": a.size}
                                    for a in message.attachments.all()
                                ],
                            }
                            for message in enquiry.messages.all()
                        ],
                    }
                    for enquiry in journalist.enquiries.all()
                ],
                # Their mail waiting in the holding pen, not yet in any enquiry.
                "held_mail": [
                    {
                        "received_at": _iso(held.received_at),
                        "subject": held.subject,
                        "body": held.body,
                    }
                    for held in HeldMail.objects.filter(from_address=journalist.email or "-")
                ],
            }
        )
        audit.record(
            actor=by,
            action=AuditAction.JOURNALIST_EXPORTED,
            journalist_id=journalist.pk,
            enquiry_ids=[enquiry.pk for enquiry in journalist.enquiries.all()],
        )
    return {"exported_at": _iso(timezone.now()), "journalists": people}
