"""A journalist's enquiry from the public form: contact, outlet, enquiry and receipt e-mail in
one transaction, exactly once per form (its one-time key)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from enquiries.core.desk_settings import desk_settings
from enquiries.core.errors import DuplicateEmail
from enquiries.handling import contacts
from enquiries.intake import foi_caps
from enquiries.intake import log as intake
from enquiries.mail import outbox
from enquiries.models import Enquiry, Journalist


@dataclass(frozen=True)
class Submission:
    first_name: str
    last_name: str
    outlet: str
    email: str
    phone: str
    mobile: str
    topic: str
    question: str
    deadline: datetime | None
    is_foi: bool
    opt_out: bool
    key: str  # the form's one-time key
    client: str = ""  # the client's address (for the FOI caps), never stored


def _contact(submission: Submission) -> tuple[Journalist, dict[str, str]]:
    """The journalist, and what the form gave that differs from their card.

    A new address makes a new contact. A known one is never changed by the form (DESIGN
    rule 9: anyone can type anyone's address): what differs travels with the enquiry as
    "given on the form", for an officer to accept onto the card (`contacts.accept_form_details`).
    """
    known = contacts.find_journalist(email=submission.email)
    if known is None:
        outlet = (
            contacts.find_or_create_outlet(name=submission.outlet) if submission.outlet else None
        )
        journalist = contacts.create_journalist(
            by=None,
            first_name=submission.first_name,
            last_name=submission.last_name,
            email=submission.email,
            phone=submission.phone,
            mobile=submission.mobile,
            outlet=outlet,
        )
        return journalist, {}
    return known, contacts.differences(
        journalist=known,
        given={
            "first_name": submission.first_name,
            "last_name": submission.last_name,
            "phone": submission.phone,
            "mobile": submission.mobile,
            "outlet": submission.outlet,
        },
    )


def submit(submission: Submission) -> tuple[Enquiry, bool]:
    """Returns (enquiry, created); a second submission of the same form returns the first.

    A double click with a new address races on the contact: the second request waits for the
    first's new journalist, then finds the address taken (DuplicateEmail) and its whole
    transaction rolled back; it answers with the first's enquiry. Two different forms from a
    new address at once (two tabs): the loser tries once more, now with a known address.
    """
    for attempt in range(2):
        try:
            return _create(submission), True
        except (IntegrityError, DuplicateEmail):  # the same form again, or the contact race
            existing = Enquiry.objects.filter(submission_key=submission.key).first()
            if existing is not None:
                return existing, False
            if attempt:
                raise
    raise AssertionError  # unreachable: the loop returns or raises


@transaction.atomic
def _create(submission: Submission) -> Enquiry:
    journalist, given = _contact(submission)
    held = submission.is_foi and foi_caps.over_caps(
        client=submission.client, email=submission.email
    )
    enquiry = intake.log_enquiry(
        by=None,
        channel=Enquiry.Channel.WEB_FORM,
        kind=Enquiry.Kind.FOI if submission.is_foi else Enquiry.Kind.PRESS,
        topic=submission.topic,
        details=submission.question,
        journalist=journalist,
        deadline=submission.deadline,
        opted_out=submission.opt_out,
        submission_key=submission.key,
        form_details=given,
        foi_held=held,
    )
    if enquiry.kind == Enquiry.Kind.FOI:
        return enquiry  # acknowledged once forwarded to the post registry (foi_routing)
    desk = desk_settings()
    context = {"enquiry": enquiry, "desk": desk}
    outbox.queue_email(
        kind="enquiry_receipt",
        to=submission.email,
        subject=render_to_string("enquiries/emails/receipt_subject.txt", context).strip(),
        body=render_to_string("enquiries/emails/receipt_body.txt", context),
        key=f"enquiry-receipt:{enquiry.pk}",
        enquiry=enquiry,
        public=True,  # nobody confirmed the address: fixed text only (DESIGN rule 9), capped
    )
    return enquiry
