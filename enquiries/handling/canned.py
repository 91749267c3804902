"""Canned replies ("svarmal") and the desk's signature: texts kept in admin, with placeholders
filled in for one enquiry and one officer."""

import re

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from enquiries.core.errors import PressdeskError
from enquiries.models import CannedReply, Enquiry

PLACEHOLDERS = ("journalist_name", "reference", "officer_name")
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


class CannedReplyNotFound(PressdeskError):
    message = _("That canned reply is no longer available.")


def unknown_placeholders(text: str) -> list[str]:
    """The {names} in `text` that are not placeholders (for admin to refuse)."""
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def officer_name(officer: AbstractBaseUser | None) -> str:
    if officer is None:
        return ""
    full_name = getattr(officer, "get_full_name", lambda: "")()
    return str(full_name or officer.get_username())


def fill(text: str, *, enquiry: Enquiry | None, officer: AbstractBaseUser | None) -> str:
    """Replace the placeholders; anything else in braces stays as written. A plain
    substitution, not a template language: nothing an administrator writes is run."""
    journalist = enquiry.journalist if enquiry is not None else None
    values = {
        "journalist_name": journalist.full_name if journalist is not None else "",
        "reference": enquiry.reference if enquiry is not None else "",
        "officer_name": officer_name(officer),
    }
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def active_canned_replies() -> list[CannedReply]:
    return list(CannedReply.objects.filter(is_active=True).only("name").order_by("name"))


def canned_text(*, canned_id: int, enquiry: Enquiry, officer: AbstractBaseUser) -> str:
    canned = CannedReply.objects.filter(pk=canned_id, is_active=True).first()
    if canned is None:
        raise CannedReplyNotFound
    return fill(canned.body, enquiry=enquiry, officer=officer)
