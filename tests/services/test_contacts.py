import pytest

from enquiries.core.errors import DuplicateEmail
from enquiries.handling import contacts
from enquiries.models import AuditEvent, Journalist, Outlet
from tests import makers

pytestmark = pytest.mark.django_db


def test_creating_stores_the_normalised_contact():
    journalist = makers.make_journalist(
        first_name="  Ola ", email=" Ola.Nordmann@VG.NO ", phone="22 00 00 00", mobile="400 33 431"
    )
    journalist.refresh_from_db()
    assert (journalist.first_name, journalist.email) == ("Ola", "ola.nordmann@vg.no")
    assert (journalist.phone, journalist.mobile) == ("+4722000000", "+4740033431")


def test_updating_normalises_and_audits_only_the_field_names():
    journalist = makers.make_journalist()
    contacts.update_journalist(journalist_id=journalist.pk, by=None, mobile="+47 415 22 901")
    journalist.refresh_from_db()
    assert journalist.mobile == "+4741522901"
    event = AuditEvent.objects.get(action="journalist.changed")
    assert event.detail == {"fields": ["mobile"]}


def test_an_update_that_changes_nothing_writes_nothing():
    journalist = makers.make_journalist()
    contacts.update_journalist(journalist_id=journalist.pk, by=None, email="OLA.NORDMANN@vg.no ")
    assert not AuditEvent.objects.filter(action="journalist.changed").exists()


def test_taking_someone_elses_address_is_refused():
    makers.make_journalist(first_name="Kari", email="kari@nrk.no", mobile="")
    ola = makers.make_journalist()
    with pytest.raises(DuplicateEmail):
        contacts.update_journalist(journalist_id=ola.pk, by=None, email="KARI@nrk.no")
    ola.refresh_from_db()
    assert ola.email == "ola.nordmann@vg.no"


def test_an_unknown_field_is_a_programming_error():
    journalist = makers.make_journalist()
    with pytest.raises(TypeError):
        contacts.update_journalist(journalist_id=journalist.pk, by=None, reference="P-1")


def test_outlets_are_found_in_any_letter_case_and_spacing():
    first = contacts.find_or_create_outlet(name="Dagens  Medisin")
    assert contacts.find_or_create_outlet(name=" dagens medisin ") == first
    assert Outlet.objects.get().name == "Dagens Medisin"


def test_find_journalist_by_phone_or_mobile():
    journalist = makers.make_journalist(phone="22 00 00 00")
    assert contacts.find_journalist(phone="+47 22 00 00 00") == journalist
    assert contacts.find_journalist(phone="40033431") == journalist
    assert contacts.find_journalist(email="nobody@vg.no") is None
    assert Journalist.objects.count() == 1
