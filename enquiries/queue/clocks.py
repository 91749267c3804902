"""The clocks the desk shows on an enquiry: the journalist's deadline as time left, and a
request for access's forwarding due time in working days (enquiries.core.working_time)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from enquiries.core.desk_settings import office_hours
from enquiries.core.working_time import foi_forward_due, time_left
from enquiries.models import Enquiry


@dataclass(frozen=True)
class EnquiryClocks:
    deadline_left: timedelta | None  # wall clock to the journalist's deadline, while open
    foi_due: datetime | None  # forwarding due, while a request for access waits
    foi_overdue: bool


def enquiry_clocks(enquiry: Enquiry, *, now: datetime | None = None) -> EnquiryClocks:
    now = now or timezone.now()
    deadline_left = (
        time_left(enquiry.deadline, now) if enquiry.deadline and enquiry.is_open else None
    )
    waiting = enquiry.kind == Enquiry.Kind.FOI and enquiry.status not in (
        Enquiry.Status.ROUTED,
        Enquiry.Status.CLOSED,
    )
    due = foi_forward_due(enquiry.received_at, office_hours()) if waiting else None
    return EnquiryClocks(
        deadline_left=deadline_left, foi_due=due, foi_overdue=due is not None and due <= now
    )
