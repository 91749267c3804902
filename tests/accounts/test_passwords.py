"""Passwords (issue 17, item 6): twelve characters, not like the username, not a common one."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests import makers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "Sommer2026!!",  # a season, a year and punctuation: on the common list's pattern
        "officer1officer1",  # the username twice
        "Officer1-2026",  # the username with a year
        "short-pass1",  # eleven characters
        "123456789012345",  # digits only
        "passwordpassword",  # common
    ],
)
def test_weak_passwords_are_refused(password):
    user = makers.make_officer(username="officer1", email="officer1@pressdesk.invalid")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_a_long_unrelated_passphrase_is_accepted():
    user = makers.make_officer(username="officer1")
    validate_password("tindra-fjord-kompass-lykt", user=user)
