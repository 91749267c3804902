"""Session rules beyond Django's: an absolute lifetime, and revocation.

A session records when its user logged in, whether they could use the desk then, and their
session generation. AccountSessionMiddleware ends it at its next request when it is older
than PRESSDESK_SESSION_MAX_SECONDS, when a desk session's user may no longer use the desk
(deactivated, or out of the press officers), or when the generation has moved on (the
user's or an administrator's "log out everywhere"). A changed password ends sessions through
Django's own session hash.
"""

import time

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from enquiries import access
from enquiries.core import audit
from enquiries.models import AuditAction, SessionGeneration

LOGIN_AT_KEY = "_pressdesk_login_at"
GENERATION_KEY = "_pressdesk_generation"
DESK_KEY = "_pressdesk_desk"


def current_generation(*, user: AbstractBaseUser) -> int:
    known = getattr(user, access.GENERATION_ANNOTATION, None)
    if known is not None:
        return int(known)
    row = SessionGeneration.objects.filter(user_id=user.pk).values_list("generation", flat=True)
    return row.first() or 0


def stamp(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """At login: what the session is measured against later."""
    request.session[LOGIN_AT_KEY] = int(time.time())
    request.session[GENERATION_KEY] = current_generation(user=user)
    request.session[DESK_KEY] = access.may_use_desk(user)


def still_valid(*, request: HttpRequest, user: AbstractBaseUser | AnonymousUser) -> bool:
    session = request.session
    if LOGIN_AT_KEY not in session:  # not logged in through Django's login(): not ours
        return True
    if time.time() - session[LOGIN_AT_KEY] > settings.PRESSDESK_SESSION_MAX_SECONDS:
        return False
    if not user.is_authenticated:
        # Deactivated (the backend loads nobody): the session must not come back to life
        # if the account is reactivated.
        return False
    if session.get(DESK_KEY) and not access.may_use_desk(user):
        return False
    return session.get(GENERATION_KEY, 0) == current_generation(user=user)


@transaction.atomic
def revoke_sessions(*, user_id: int, by: AbstractBaseUser | None) -> None:
    """End every session of the user at its next request (log out everywhere)."""
    SessionGeneration.objects.get_or_create(user_id=user_id)
    SessionGeneration.objects.filter(user_id=user_id).update(generation=F("generation") + 1)
    audit.record(actor=by, action=AuditAction.SESSIONS_REVOKED, detail={"user": user_id})


def revoke_for_users(*, users: list[User], by: AbstractBaseUser) -> int:
    for user in users:
        revoke_sessions(user_id=user.pk, by=by)
    return len(users)
