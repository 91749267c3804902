"""Outlets and topic categories, as administrators keep them in admin."""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from enquiries.core import audit
from enquiries.handling.contacts import ensure_unique_name
from enquiries.models import AuditAction, Outlet, TopicCategory

logger = logging.getLogger(__name__)


@transaction.atomic
def save_reference_item(
    *, item: Outlet | TopicCategory, by: AbstractBaseUser | None
) -> Outlet | TopicCategory:
    """Create or change an outlet or topic category; names are unique in any letter case."""
    item.name = " ".join(item.name.split())
    ensure_unique_name(type(item), name=item.name, exclude_pk=item.pk)
    item.full_clean(validate_unique=False, validate_constraints=False)
    item.save()
    audit.record(
        actor=by,
        action=AuditAction.REFERENCE_DATA_CHANGED,
        detail={"model": item._meta.model_name, "id": item.pk},
    )
    return item


@transaction.atomic
def delete_reference_items(
    *, items: Iterable[Outlet | TopicCategory], by: AbstractBaseUser | None
) -> int:
    """Delete outlets or categories; their enquiries and journalists keep everything else."""
    deleted = 0
    for item in items:
        model, pk = item._meta.model_name, item.pk
        item.delete()
        audit.record(
            actor=by,
            action=AuditAction.REFERENCE_DATA_CHANGED,
            detail={"model": model, "id": pk, "deleted": True},
        )
        deleted += 1
    return deleted
