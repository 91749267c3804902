"""Outlets and topic categories, as administrators keep them in admin."""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

from enquiries.models import AuditAction, Outlet, TopicCategory
from enquiries.services import audit
from enquiries.services.contacts import ensure_unique_name

logger = logging.getLogger(__name__)


def _forget_filter_choices() -> None:
    """The desk's cached filter choices name the categories: drop them after the commit."""
    from enquiries.selectors import FILTER_CHOICES_KEY

    def forget() -> None:
        try:
            cache.delete(FILTER_CHOICES_KEY)
        except RedisError:
            logger.warning("cache unavailable; filter choices refresh within a minute")

    transaction.on_commit(forget)


@transaction.atomic
def save_reference_item(
    *, item: Outlet | TopicCategory, by: AbstractBaseUser | None
) -> Outlet | TopicCategory:
    """Create or change an outlet or topic category; names are unique in any letter case."""
    item.name = " ".join(item.name.split())
    ensure_unique_name(type(item), name=item.name, exclude_pk=item.pk)
    item.full_clean(validate_unique=False, validate_constraints=False)
    item.save()
    _forget_filter_choices()
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
        _forget_filter_choices()
        audit.record(
            actor=by,
            action=AuditAction.REFERENCE_DATA_CHANGED,
            detail={"model": model, "id": pk, "deleted": True},
        )
        deleted += 1
    return deleted
