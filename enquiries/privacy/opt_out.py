"""Opt-out (DESIGN rule 3): standing opt-outs kept as a keyed hash (HMAC), never
the address or number itself.
"""

import hmac
from collections.abc import Iterable
from hashlib import sha256

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from enquiries.core import audit
from enquiries.core.errors import (
    NothingToMatch,
)
from enquiries.core.normalise import normalise_email, normalise_phone
from enquiries.models import (
    AuditAction,
    ContactKind,
    Journalist,
    Suppression,
)


def contact_hash(*, kind: str, normalised: str) -> str:
    """HMAC-SHA256 of a normalised address or number; the same input always gives the same key."""
    key = settings.PRESSDESK_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{normalised}".encode(), sha256).hexdigest()


def _hashes(*, email: str | None, phones: Iterable[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if email and email.strip():
        found.append(
            (
                ContactKind.EMAIL,
                contact_hash(kind=ContactKind.EMAIL, normalised=normalise_email(email)),
            )
        )
    for phone in phones:
        if phone and phone.strip():
            number = normalise_phone(phone)
            found.append(
                (ContactKind.PHONE, contact_hash(kind=ContactKind.PHONE, normalised=number))
            )
    return found


@transaction.atomic
def register_standing_opt_out(
    *, by: AbstractBaseUser | None, email: str | None = None, phone: str | None = None
) -> int:
    """Remember the wish not to be logged; returns how many new keys were stored."""
    hashes = _hashes(email=email, phones=[phone] if phone else [])
    if not hashes:
        raise NothingToMatch
    created = 0
    for kind, key in hashes:
        _row, was_new = Suppression.objects.get_or_create(key_hash=key, defaults={"kind": kind})
        created += was_new
    audit.record(actor=by, action=AuditAction.OPT_OUT_REGISTERED, detail={"new": created})
    return created


@transaction.atomic
def withdraw_standing_opt_out(
    *, by: AbstractBaseUser | None, email: str | None = None, phone: str | None = None
) -> int:
    hashes = _hashes(email=email, phones=[phone] if phone else [])
    if not hashes:
        raise NothingToMatch
    removed, _ = Suppression.objects.filter(key_hash__in=[key for _, key in hashes]).delete()
    audit.record(actor=by, action=AuditAction.OPT_OUT_WITHDRAWN, detail={"removed": removed})
    return removed


def is_suppressed(*, email: str | None = None, phones: Iterable[str] = ()) -> bool:
    hashes = _hashes(email=email, phones=phones)
    return bool(hashes) and Suppression.objects.filter(key_hash__in=[k for _, k in hashes]).exists()


def journalist_is_suppressed(journalist: Journalist | None) -> bool:
    if journalist is None:
        return False
    return is_suppressed(email=journalist.email, phones=[journalist.phone, journalist.mobile])
