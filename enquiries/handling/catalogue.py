"""Outlets and topic categories, as administrators keep them in admin."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from enquiries.core import audit
from enquiries.core.errors import NothingToMergeOutlets
from enquiries.handling.contacts import ensure_unique_name
from enquiries.models import AuditAction, Enquiry, Journalist, Outlet, TopicCategory

logger = logging.getLogger(__name__)


@transaction.atomic
def save_reference_item[Item: (Outlet, TopicCategory)](
    *, item: Item, by: AbstractBaseUser | None
) -> Item:
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


@dataclass(frozen=True)
class OutletMerge:
    kept_id: int
    merged_ids: list[int]
    enquiries: int
    journalists: int


@transaction.atomic
def merge_outlets(
    *, keep_id: int, merged_ids: list[int], by: AbstractBaseUser | None
) -> OutletMerge:
    """Fold variants of an outlet ("Dagbladet ✨" beside "Dagbladet") into the one kept: their
    enquiries and journalists move to it, and the variants are deleted. Audited by ids."""
    merged_ids = sorted(set(merged_ids) - {keep_id})
    outlets = list(Outlet.objects.select_for_update().filter(pk__in=[keep_id, *merged_ids]))
    if not merged_ids or len(outlets) != len(merged_ids) + 1:
        raise NothingToMergeOutlets
    enquiries = Enquiry.objects.filter(outlet_id__in=merged_ids).update(outlet_id=keep_id)
    journalists = Journalist.objects.filter(outlet_id__in=merged_ids).update(outlet_id=keep_id)
    Outlet.objects.filter(pk__in=merged_ids).delete()
    audit.record(
        actor=by,
        action=AuditAction.OUTLETS_MERGED,
        detail={"kept_id": keep_id, "merged_ids": merged_ids},
    )
    logger.info(
        "outlets merged into %s: %d enquiries, %d journalists moved",
        keep_id,
        enquiries,
        journalists,
    )
    return OutletMerge(
        kept_id=keep_id, merged_ids=merged_ids, enquiries=enquiries, journalists=journalists
    )
