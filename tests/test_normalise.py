import pytest
from django.core.exceptions import ValidationError

from enquiries.core.normalise import normalise_email, normalise_phone, phone_digits


@pytest.mark.parametrize(
    "typed",
    [
        " Ola.Nordmann@VG.NO ",
        "ola.nordmann@vg.no",
        "OLA.NORDMANN@vg.no\t",
        "\uff4f\uff4c\uff41.nordmann@vg.no",  # full-width letters, folded by NFKC
    ],
)
def test_email_variants_fold_to_one_address(typed):
    assert normalise_email(typed) == "ola.nordmann@vg.no"


def test_plus_address_is_a_different_address():
    assert normalise_email("ola.nordmann+x@vg.no") != normalise_email("ola.nordmann@vg.no")


@pytest.mark.parametrize(
    "bad", ["a@b.no\r\nBcc: x@evil.example", "ola nordmann@vg.no", "not-an-address", "a\x00@b.no"]
)
def test_email_with_header_injection_or_garbage_is_refused(bad):
    with pytest.raises(ValidationError):
        normalise_email(bad)


@pytest.mark.parametrize("typed", ["+47 400 33 431", "40033431", "400 33 431", "0047 40033431"])
def test_norwegian_numbers_fold_to_e164(typed):
    assert normalise_phone(typed) == "+4740033431"


def test_foreign_number_keeps_its_country():
    assert normalise_phone("+46 70 123 45 67") == "+46701234567"


@pytest.mark.parametrize("bad", ["123", "call me", "+47 400\n33 431", "4003343199999"])
def test_malformed_phone_numbers_are_refused(bad):
    with pytest.raises(ValidationError):
        normalise_phone(bad)


def test_phone_digits_for_partial_matching():
    assert phone_digits("400 33-431") == "40033431"
