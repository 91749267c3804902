"""Who must sign in with a second factor, and what happens to one who has none (DESIGN 11).

Every active officer (whoever may use the desk) and every administrator (staff) needs a TOTP
device or a passkey. allauth asks for it at every password login of a user who has one; a
user who has none is sent to enrol (`standing` says "enrol") before any desk or admin page.
Three exceptions, each shown on the desk:
- a session signed in through single sign-on: the identity provider's own second factor
  stands for ours ("sso", never shown: nothing to do);
- until PRESSDESK_SECOND_FACTOR_FROM (a roll-out date), a reminder instead ("grace");
- the `make run` demo officer (PRESSDESK_DEMO_OFFICER) under DEBUG only ("demo").
"""

from typing import Literal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone

from enquiries import access

# Set at a single sign-on login (enquiries.accounts.signins): the provider's id.
SSO_SESSION_KEY = "_pressdesk_sso"

Standing = Literal["ok", "sso", "demo", "grace", "enrol"]


def has_second_factor(user: AbstractBaseUser) -> bool:
    known = getattr(user, access.SECOND_FACTOR_ANNOTATION, None)
    if known is None:  # a user loaded some other way than by the desk's backend
        known = (
            type(user)
            ._default_manager.filter(pk=user.pk)
            .filter(access.holds_second_factor())
            .exists()
        )
    return bool(known)


def needs_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(getattr(user, "is_staff", False)) or access.may_use_desk(user)


def standing(request: HttpRequest) -> Standing:
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not needs_second_factor(user):
        return "ok"
    if has_second_factor(user):
        return "ok"
    if request.session.get(SSO_SESSION_KEY):
        return "sso"
    if settings.DEBUG and user.get_username() == settings.PRESSDESK_DEMO_OFFICER:
        return "demo"
    deadline = settings.PRESSDESK_SECOND_FACTOR_FROM
    if deadline is not None and timezone.localdate() < deadline:
        return "grace"
    return "enrol"


def notice(request: HttpRequest) -> dict[str, object]:
    """Context processor: what the desk's pages say about the user's second factor."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    state = standing(request)
    if state not in {"demo", "grace"}:
        return {}
    return {
        "second_factor_notice": state,
        "second_factor_from": settings.PRESSDESK_SECOND_FACTOR_FROM,
    }
