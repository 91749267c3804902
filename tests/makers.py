"""Plain, typed makers with fixed readable defaults; rules go through the real services."""

from datetime import datetime

import pyotp
from allauth.mfa.adapter import get_adapter as mfa_adapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, User

from enquiries.handling import contacts
from enquiries.intake import log as intake
from enquiries.models import Enquiry, Journalist, Outlet

PASSWORD = "correct-horse-battery-staple"
# Every user a test makes has this authenticator app unless it says second_factor=False:
# officers and administrators in production must have one.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now (computed apart from allauth's own code)."""
    return pyotp.TOTP(secret).now()


def add_totp(user: User, secret: str = TOTP_SECRET) -> Authenticator:
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": mfa_adapter().encrypt(secret)}
    )


def make_user(*, username: str = "outsider", second_factor: bool = True, **extra: object) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if second_factor:
        add_totp(user)
    return user


def make_officer(*, username: str = "officer", second_factor: bool = True, **extra: object) -> User:
    user = make_user(username=username, second_factor=second_factor, **extra)
    user.groups.add(Group.objects.get(name="Press officers"))
    return user


def make_outlet(*, name: str = "VG", kind: str = Outlet.Kind.NEWSPAPER) -> Outlet:
    return contacts.find_or_create_outlet(name=name, kind=kind)


def make_journalist(
    *,
    first_name: str = "Ola",
    last_name: str = "Nordmann",
    email: str | None = "ola.nordmann@vg.no",
    phone: str = "",
    mobile: str = "+47 400 33 431",
    outlet: Outlet | None = None,
) -> Journalist:
    return contacts.create_journalist(
        by=None,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        mobile=mobile,
        outlet=outlet,
    )


def make_enquiry(
    *,
    topic: str = "Høringen om ME/CFS-veilederen",
    details: str = "Når kommer den endelige veilederen?",
    journalist: Journalist | None = None,
    channel: str = Enquiry.Channel.PHONE,
    received_at: datetime | None = None,
    by: User | None = None,
    **extra: object,
) -> Enquiry:
    return intake.log_enquiry(
        by=by,
        channel=channel,
        topic=topic,
        details=details,
        journalist=journalist,
        received_at=received_at,
        **extra,
    )
