"""django-allauth, fitted to the desk (the adapters its settings name).

Accounts are made by an administrator (or by single sign-on): nobody signs up. Guessed
passwords are throttled by axes alone (enquiries/accounts/throttle.py), so allauth's own
password counter is skipped; its counter for second-factor codes stays. Passkeys belong to
the public address (PRESSDESK_PUBLIC_URL), never to whatever Host a request names.
"""

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.http import HttpRequest

from enquiries.intake.ratelimit import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Axes counts and refuses guessed passwords (per account and per client, with a
        cool-off that grows); a second counter here would stop the guessing before axes
        sees it, and no lockout would ever be recorded."""

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address axes and the public form count (a trusted proxy's header, or the
        peer); allauth's own answer to a request without one is 403."""
        return client_address(request) or "unknown"


class SecondFactorAdapter(DefaultMFAAdapter):
    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        host = urlsplit(settings.PRESSDESK_PUBLIC_URL).hostname or "localhost"
        return {"id": host, "name": settings.MFA_TOTP_ISSUER}
