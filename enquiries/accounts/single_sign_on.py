"""Single sign-on with OpenID Connect (Microsoft Entra ID in production): allauth's
openid_connect provider, configured from PRESSDESK_OIDC_* (README, Accounts).

Membership of the press officers follows the identity provider at every login: a user whose
groups claim (PRESSDESK_OIDC_GROUPS_CLAIM) holds one of PRESSDESK_OIDC_OFFICER_GROUPS is put
in the Press officers group, and taken out when it no longer does (which also ends their desk
sessions: enquiries.accounts.sessions). Someone the provider knows but who is in none of those
groups gets no account. Administrators keep local accounts (the login form). The second factor
of a single sign-on session is the provider's (enquiries.accounts.second_factor, "sso").
"""

from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.http import HttpRequest

PRESS_OFFICERS = "Press officers"


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """The ID token's claims, with the userinfo endpoint's on top."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def is_officer(sociallogin: SocialLogin) -> bool:
    groups = _claims(sociallogin).get(settings.PRESSDESK_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return bool(set(map(str, groups)) & set(settings.PRESSDESK_OIDC_OFFICER_GROUPS))


def sync_officer_group(*, user: User, sociallogin: SocialLogin) -> None:
    group = Group.objects.get(name=PRESS_OFFICERS)
    if is_officer(sociallogin):
        user.groups.add(group)
    else:
        user.groups.remove(group)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return is_officer(sociallogin)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.is_existing:
            sync_officer_group(user=sociallogin.user, sociallogin=sociallogin)

    def save_user(
        self, request: HttpRequest, sociallogin: SocialLogin, form: object = None
    ) -> User:
        user: User = super().save_user(request, sociallogin, form)
        sync_officer_group(user=user, sociallogin=sociallogin)
        return user
