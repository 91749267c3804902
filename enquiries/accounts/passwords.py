"""Password rules Django's validators miss: a password built from the username, or from
one guessable word dressed up with digits and symbols ("Sommer2026!!", "Passord123456")."""

import re
from functools import cache

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words a Norwegian office reaches for, next to Django's list of common passwords.
_NORWEGIAN = {
    "sommer", "vinter", "host", "hoest", "høst", "var", "vår", "vaar", "januar", "februar",
    "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
    "desember", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lordag", "lørdag",
    "sondag", "søndag", "passord", "hemmelig", "velkommen", "norge", "oslo", "bergen",
    "presse", "pressevakt", "helse", "direktoratet",
}  # fmt: skip


@cache
def _common_words() -> frozenset[str]:
    return frozenset(CommonPasswordValidator().passwords) | _NORWEGIAN


def _letters(password: str) -> str:
    return re.sub(r"[\W\d_]+", "", password.casefold())


def _unit(word: str) -> str:
    """ "abcabc" → "abc": the shortest piece the word repeats."""
    for size in range(1, len(word) // 2 + 1):
        if len(word) % size == 0 and word[:size] * (len(word) // size) == word:
            return word[:size]
    return word


class GuessablePasswordValidator:
    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        letters = _unit(_letters(password))
        username = _letters(user.get_username()) if user is not None else ""
        if len(username) >= 3 and username in password.casefold().replace("_", ""):
            raise ValidationError(_("The password contains the username."), code="has_username")
        if len(username) >= 3 and letters and letters in username:
            raise ValidationError(_("The password contains the username."), code="has_username")
        if not letters or letters in _common_words():
            raise ValidationError(
                _("The password is a common word with digits or symbols added."),
                code="guessable",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be the username or a common word with digits added.")
