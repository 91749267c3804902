"""The audit trail, written in the caller's transaction. Ids and field names only."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from enquiries.models import AuditAction, AuditEvent


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    enquiry_id: int | None = None,
    journalist_id: int | None = None,
    detail: dict[str, object] | None = None,
) -> AuditEvent:
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor_id=actor_id,
        action=action,
        enquiry_id=enquiry_id,
        journalist_id=journalist_id,
        detail=detail or {},
    )


def record_each(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    journalist_ids: list[int],
) -> None:
    """One event per journalist a page showed (a list of them), written in one INSERT."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(actor_id=actor_id, action=action, journalist_id=pk, detail={})
            for pk in journalist_ids
        ]
    )
