"""The desk's quick logging: a phone call with its journalist and outlet in one transaction.

The journalist is one already known (by id) or created inline; the outlet is found by name in
any letter case or created. If anything is refused, nothing at all is stored.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from enquiries.core.errors import DuplicateEmail, JournalistNotFound
from enquiries.handling import contacts
from enquiries.handling import enquiries as handling
from enquiries.intake import log as intake
from enquiries.models import Enquiry, Journalist, TopicCategory


@dataclass(frozen=True)
class NewContact:
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    mobile: str = ""


# Field names of contacts.create_journalist's errors → the desk form's fields.
NEW_CONTACT_FIELDS = {
    "first_name": "new_first_name",
    "last_name": "new_last_name",
    "email": "new_email",
    "phone": "new_phone",
    "mobile": "new_mobile",
}


@transaction.atomic
def log_call(
    *,
    by: User,
    journalist_id: int | None,
    new_contact: NewContact | None,
    outlet_name: str,
    channel: str,
    topic: str,
    details: str,
    received_at: datetime | None,
    deadline: datetime | None,
    topic_category: TopicCategory | None,
    opted_out: bool,
    kind: str = Enquiry.Kind.PRESS,
    answered: bool = False,
) -> Enquiry:
    """Log the call; `answered` closes it as answered at once (an opted-out call answered on
    the phone then keeps nothing personal: no contact is created, and the tally is all)."""
    if answered and opted_out:
        journalist_id, new_contact = None, None
    outlet = contacts.find_or_create_outlet(name=outlet_name) if outlet_name.strip() else None
    journalist: Journalist | None = None
    if journalist_id is not None:
        journalist = Journalist.objects.filter(pk=journalist_id).first()
        if journalist is None:
            raise JournalistNotFound
    elif new_contact is not None:
        try:
            journalist = contacts.create_journalist(
                by=by,
                first_name=new_contact.first_name,
                last_name=new_contact.last_name,
                email=new_contact.email or None,
                phone=new_contact.phone,
                mobile=new_contact.mobile,
                outlet=outlet,
            )
        except DuplicateEmail as exc:
            raise ValidationError({"new_email": [str(exc)]}) from exc
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ValidationError(
                {
                    NEW_CONTACT_FIELDS.get(name, name): errors
                    for name, errors in exc.error_dict.items()
                }
            ) from exc
    enquiry = intake.log_enquiry(
        by=by,
        channel=channel,
        kind=kind,
        topic=topic,
        details=details,
        journalist=journalist,
        outlet=outlet,
        received_at=received_at,
        deadline=deadline,
        topic_category=topic_category,
        opted_out=opted_out,
    )
    if answered:
        enquiry = handling.change_status(
            enquiry_id=enquiry.pk, status=Enquiry.Status.ANSWERED, by=by
        )
    return enquiry
