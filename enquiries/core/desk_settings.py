"""The one row of desk settings; the public pages read it through a cache."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction

from enquiries.core import audit
from enquiries.core.working_time import OfficeHours
from enquiries.models import (
    AuditAction,
    DeskSettings,
)

CACHE_KEY = "desk-settings:v2"  # v2: with the signature
EDITABLE_FIELDS = (
    "press_phone",
    "press_email",
    "notice",
    "post_registry_email",
    "public_journal_url",
    "signature",
    "retention_years",
    "channel_retention_months",
    "report_recipients",
    "office_opens",
    "office_closes",
)


@transaction.atomic
def update_desk_settings(*, by: AbstractBaseUser | None, **changes: object) -> DeskSettings:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        msg = f"Not desk settings: {sorted(unknown)}"
        raise TypeError(msg)
    row = DeskSettings.objects.select_for_update().get(pk=DeskSettings.SINGLETON_ID)
    changed = [name for name, value in changes.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, changes[name])
    row.full_clean()
    row.save()
    audit.record(actor=by, action=AuditAction.SETTINGS_CHANGED, detail={"fields": changed})
    # Every web process reads through the shared cache: drop it once the change is committed.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return row


SETTINGS_CACHE_SECONDS = 300


def desk_settings() -> DeskSettings:
    """The settings row, from the shared cache; at most one query per five minutes. With
    Redis away the cache answers empty and forgets (pressdesk/cache.py): one query a call."""
    row: DeskSettings | None = cache.get(CACHE_KEY)
    if row is None:
        row = DeskSettings.objects.get(pk=DeskSettings.SINGLETON_ID)
        cache.set(CACHE_KEY, row, SETTINGS_CACHE_SECONDS)
    return row


def office_hours() -> OfficeHours:
    """The desk's office hours, for the working-day clocks (enquiries.core.working_time)."""
    row = desk_settings()
    return OfficeHours(opens=row.office_opens, closes=row.office_closes)
