"""Normal forms of e-mail addresses and phone numbers, so that a lookup finds what was stored.

` Ola.Nordmann@VG.NO ` and `ola.nordmann@vg.no` are one address; `+47 400 33 431` and
`40033431` are one number. Everything that stores or looks up contact details goes through here.
"""

import ipaddress
import unicodedata

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# Control characters, lone surrogates and unassigned code points. Format characters (Cf) are
# allowed: emoji sequences need the zero-width joiner, and right-to-left text its marks.
_CONTROL_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}


def has_control_characters(value: str, *, allow_newlines: bool = False) -> bool:
    """True for NUL and other control characters (tab and line breaks only where allowed)."""
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(
        unicodedata.category(char) in _CONTROL_CATEGORIES and char not in allowed for char in value
    )


def normalise_email(value: str) -> str:
    """Trim, NFKC and case-fold the whole address; raise ValidationError when it is not one."""
    text = unicodedata.normalize("NFKC", value.strip())
    text = unicodedata.normalize("NFKC", text.casefold())
    if not text:
        raise ValidationError(_("Enter an e-mail address."), code="required")
    if has_control_characters(text) or any(char.isspace() for char in text):
        raise ValidationError(
            _("An e-mail address cannot contain spaces or line breaks."), code="invalid"
        )
    validate_email(text)
    return text


# Names that never route on the public internet (RFC 2606, 6761, 6762, 7686, 8375; common
# private zones): mail from the agency never goes there.
_UNROUTABLE_TLDS = {
    "arpa", "corp", "example", "home", "internal", "intranet", "invalid", "lan", "local",
    "localdomain", "localhost", "onion", "private", "test",
}  # fmt: skip


def is_routable_email(address: str) -> bool:
    """Whether an (already normalised) address names a public internet domain: no IP literal
    (`a@[127.0.0.1]`), no bare IP, no single-label name, no reserved or private zone."""
    domain = address.rpartition("@")[2].rstrip(".")
    if not domain or domain.startswith("["):
        return False
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        pass
    else:
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and labels[-1] not in _UNROUTABLE_TLDS and not labels[-1].isdigit()


def normalise_public_email(value: str) -> str:
    """normalise_email, and refuse a domain the agency will not send to (`is_routable_email`)."""
    text = normalise_email(value)
    if not is_routable_email(text):
        raise ValidationError(
            _("Use an e-mail address on a public internet domain."), code="unroutable"
        )
    return text


def normalise_phone(value: str, *, region: str | None = None) -> str:
    """E.164 (`+4740033431`); numbers without a country code are read as Norwegian by default."""
    text = unicodedata.normalize("NFKC", value).strip()
    if has_control_characters(text):
        raise ValidationError(
            _("A phone number cannot contain control characters."), code="invalid"
        )
    try:
        number = phonenumbers.parse(text, region or settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), code="invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits(value: str) -> str:
    """The digits someone typed, for matching part of a stored number while they type."""
    return "".join(char for char in value if char.isdigit())


def display_phone(value: str) -> str:
    """A stored E.164 number in the national form people read (`400 33 431`)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    region = settings.PHONENUMBER_DEFAULT_REGION
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
