"""The rules an enquiry's fields keep, whoever writes them (the desk, the form, mail)."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.core.normalise import has_control_characters

# Clocks on phones and PCs drift; a receipt time this far ahead still counts as "now".
CLOCK_SKEW = timedelta(minutes=5)


def check_rules(
    *, topic: str, details: str, received_at: datetime, deadline: datetime | None
) -> None:
    errors: dict[str, list[str]] = {}
    if not topic.strip():
        errors["topic"] = [str(_("Enter what the enquiry is about."))]
    if has_control_characters(topic):
        errors["topic"] = [str(_("The topic contains control characters."))]
    if has_control_characters(details, allow_newlines=True):
        errors["details"] = [str(_("The text contains control characters."))]
    if received_at > timezone.now() + CLOCK_SKEW:
        errors["received_at"] = [str(_("The time received cannot be in the future."))]
    if deadline is not None and deadline < received_at:
        errors["deadline"] = [str(_("The deadline cannot be before the enquiry was received."))]
    if errors:
        raise ValidationError(errors)
