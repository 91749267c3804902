"""The press duty: the rota, who is on duty now, and where new enquiries go.

New enquiries (the public form, e-mail, a logged call) are assigned to the officer on duty
when they are logged; with nobody on duty they stay unassigned for the queue's "Unassigned"
view. Where shifts overlap (a handover), the one that started last has the duty.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enquiries import access
from enquiries.core import audit
from enquiries.core.desk_settings import office_hours
from enquiries.core.working_time import is_office_hours
from enquiries.models import AuditAction, DutyShift


def current_shift(*, at: datetime | None = None) -> DutyShift | None:
    """The shift on duty at `at` (now), with its officer: one query, off the cached
    officers' list (building the permission subquery cost ~5 ms a page)."""
    at = at or timezone.now()
    officer_ids = [officer.pk for officer in access.desk_officers()]
    return (
        DutyShift.objects.filter(starts_at__lte=at, ends_at__gt=at, officer_id__in=officer_ids)
        .select_related("officer")
        .only("starts_at", "ends_at", "officer__username", "officer__first_name")
        .order_by("-starts_at", "-id")
        .first()
    )


def received_out_of_hours(received_at: datetime) -> bool:
    """Evening, night, weekend or holiday by the desk's office hours: the enquiry is marked."""
    return not is_office_hours(received_at, office_hours())


def duty_officer(*, at: datetime | None = None) -> User | None:
    shift = current_shift(at=at)
    return shift.officer if shift else None


@transaction.atomic
def save_shift(*, shift: DutyShift, by: AbstractBaseUser | None) -> DutyShift:
    """Add or change a shift; only someone who may use the desk can be on press duty."""
    if not access.desk_users().filter(pk=shift.officer_id).exists():
        raise ValidationError({"officer": _("Only a press officer can be on press duty.")})
    shift.full_clean()
    shift.save()
    audit.record(actor=by, action=AuditAction.DUTY_ROTA_CHANGED, detail={"shift_id": shift.pk})
    return shift


@transaction.atomic
def delete_shifts(*, shift_ids: list[int], by: AbstractBaseUser | None) -> int:
    deleted, _counts = DutyShift.objects.filter(pk__in=shift_ids).delete()
    audit.record(
        actor=by,
        action=AuditAction.DUTY_ROTA_CHANGED,
        detail={"deleted_shift_ids": sorted(shift_ids)},
    )
    return deleted
