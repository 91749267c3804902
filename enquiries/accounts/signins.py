"""The sign-in audit: logins, failed logins, lockouts and logouts, by user id only.

Django's auth signals (and axes' lockout and allauth's login and second-factor signals) are
library signals; this module is the one place that receives them. A failed login names the
account only when the typed username belongs to a user; what was typed is never stored, nor
any password or code. A wrong second-factor code is a failed login marked `second_factor`.
"""

from typing import Any

from allauth.account.signals import user_logged_in as allauth_logged_in
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed as second_factor_failed
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from enquiries.accounts import second_factor, sessions
from enquiries.core import audit
from enquiries.models import AuditAction


def _account_id(username: object) -> int | None:
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(username=username).values_list("pk", flat=True).first()


def _target(username: object) -> dict[str, object]:
    user_id = _account_id(username)
    return {"user": user_id} if user_id is not None else {}


def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    sessions.stamp(request=request, user=user)
    audit.record(actor=user, action=AuditAction.LOGIN)


def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action=AuditAction.LOGOUT)


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit.record(
        actor=None, action=AuditAction.LOGIN_FAILED, detail=_target(credentials.get("username"))
    )


def _locked_out(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    # Axes sends this on every refused attempt during a lockout; the audit keeps the first,
    # when the failures have just reached the limit (later ones are failed logins).
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    audit.record(actor=None, action=AuditAction.LOGIN_LOCKED_OUT, detail=_target(username))


def _logged_in_through_allauth(
    sender: Any, request: HttpRequest, user: User, **kwargs: Any
) -> None:
    # Django's signal (above) has stamped the session; a single sign-on login also marks
    # it, so the identity provider's second factor stands for ours in this session only.
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        request.session[second_factor.SSO_SESSION_KEY] = sociallogin.account.provider


def _second_factor_failed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    audit.record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        detail={"user": user.pk, "second_factor": authenticator.type},
    )


def subscribe() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="pressdesk-audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="pressdesk-audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="pressdesk-audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="pressdesk-audit-locked-out")
    allauth_logged_in.connect(_logged_in_through_allauth, dispatch_uid="pressdesk-sso-login")
    second_factor_failed.connect(_second_factor_failed, dispatch_uid="pressdesk-audit-2fa")
