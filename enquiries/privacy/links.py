"""E-mailed, single-use, 24-hour links for a journalist's own rights requests.

The URL holds `signing.dumps(random_token)`: tampering breaks the signature, and the random part
makes it unguessable. Only its SHA-256 is stored, beside the address the link acts on, which is
wiped the moment the link is used. Nothing personal is ever in the URL.

A link alone is not enough (it may sit in an access log or a proxy's history): redeeming it
also takes the address it was sent to. A wrong address spends the link, so nobody can try
addresses against it.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone

from enquiries.core.errors import LinkAddressMismatch, LinkExpired, LinkInvalid, LinkUsed
from enquiries.core.normalise import normalise_email
from enquiries.models import SelfServiceLink

LINK_LIFETIME = timedelta(hours=24)
_SALT = "pressdesk.self-service-link"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_link(*, purpose: str, email: str) -> tuple[SelfServiceLink, str]:
    """A new link for this address; returns the row and the signed token for the URL."""
    token = secrets.token_urlsafe(32)
    link = SelfServiceLink.objects.create(
        purpose=purpose,
        token_hash=_hash(token),
        email=normalise_email(email),
        expires_at=timezone.now() + LINK_LIFETIME,
    )
    return link, signing.dumps(token, salt=_SALT, compress=False)


def _find(signed_token: str, purpose: str, *, lock: bool) -> SelfServiceLink:
    try:
        token = signing.loads(signed_token, salt=_SALT, max_age=LINK_LIFETIME)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    rows = SelfServiceLink.objects.filter(token_hash=_hash(str(token)), purpose=purpose)
    link = (rows.select_for_update() if lock else rows).first()
    if link is None:
        raise LinkInvalid
    if link.used_at is not None:
        raise LinkUsed
    if link.expires_at <= timezone.now():
        raise LinkExpired
    return link


def check_link(*, signed_token: str, purpose: str) -> SelfServiceLink:
    """Is the link still good? (For the confirmation page; changes nothing.)"""
    return _find(signed_token, purpose, lock=False)


@transaction.atomic
def redeem_link(*, signed_token: str, purpose: str, email: str) -> str:
    """Use the link once, given the address it was sent to: returns that address, and forgets
    it here. A wrong address raises LinkAddressMismatch: the caller spends the link
    (`spend_link`) once its own transaction has rolled back."""
    link = _find(signed_token, purpose, lock=True)
    given = normalise_email(email) if email and email.strip() else ""
    if not hmac.compare_digest(given.encode(), link.email.encode()):
        raise LinkAddressMismatch
    stored = link.email
    link.used_at = timezone.now()
    link.email = ""
    link.save(update_fields=["used_at", "email"])
    return stored


@transaction.atomic
def spend_link(*, signed_token: str, purpose: str) -> None:
    """Make a link useless (after a wrong address): nobody gets a second guess."""
    try:
        link = _find(signed_token, purpose, lock=True)
    except (LinkInvalid, LinkExpired, LinkUsed):
        return
    link.used_at = timezone.now()
    link.email = ""
    link.save(update_fields=["used_at", "email"])
