"""The form never changes what we hold about a known journalist (issue #16, item 3; TESTING.md
41): what differs travels with the enquiry, and an officer accepts it with one click."""

import pytest

from enquiries.forms.public import new_form_stamp
from enquiries.models import AuditEvent, Enquiry, Journalist
from tests import makers
from tests.clients import FormClient as Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fill_time_or_rate_limit(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000


def _form(**changes: str) -> dict[str, str]:
    return {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "outlet": "VG",
        "email": "OLA.Nordmann@VG.no",  # a known address, in another letter case
        "phone": "+47 999 99 999",
        "mobile": "+47 400 33 431",
        "topic": "Vaksiner",
        "question": "Hvor mange doser?",
        "stamp": new_form_stamp(),
        "website": "",
        **changes,
    }


def _card(journalist: Journalist) -> tuple[object, ...]:
    journalist.refresh_from_db()
    return (
        journalist.first_name,
        journalist.last_name,
        journalist.email,
        journalist.phone,
        journalist.mobile,
        journalist.outlet_id,
    )


def test_the_form_leaves_a_known_journalists_card_as_it_was():
    known = makers.make_journalist(outlet=makers.make_outlet(name="VG"))
    before = _card(known)
    response = Client().post("/enquiry/", _form(first_name="Mallory", outlet="Evil Times"))
    assert response.status_code == 302
    assert _card(known) == before
    assert not AuditEvent.objects.filter(action="journalist.changed").exists()
    enquiry = Enquiry.objects.get()
    assert enquiry.journalist == known
    # What differs travels with the enquiry; what matches (the mobile, the name) does not.
    assert enquiry.form_details == {
        "first_name": "Mallory",
        "phone": "+4799999999",
        "outlet": "Evil Times",
    }


def test_an_officer_accepts_the_details_onto_the_card_with_one_click(officer, officer_client):
    known = makers.make_journalist(phone="", outlet=makers.make_outlet(name="VG"))
    Client().post("/enquiry/", _form(mobile=""))
    enquiry = Enquiry.objects.get()
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert 'id="form-details"' in page
    assert "+4799999999" in page
    response = officer_client.post(f"/desk/enquiries/{enquiry.pk}/form-details/accept/")
    assert response.status_code == 302
    known.refresh_from_db()
    assert known.phone == "+4799999999"
    enquiry.refresh_from_db()
    assert enquiry.form_details == {}
    changed = AuditEvent.objects.get(action="journalist.changed")
    assert (changed.actor_id, changed.journalist_id, changed.detail) == (
        officer.pk,
        known.pk,
        {"fields": ["phone"]},
    )
    assert AuditEvent.objects.filter(
        action="enquiry.changed", enquiry_id=enquiry.pk, actor_id=officer.pk
    ).exists()
    # A second click has nothing left to accept and changes nothing.
    officer_client.post(f"/desk/enquiries/{enquiry.pk}/form-details/accept/")
    assert AuditEvent.objects.filter(action="journalist.changed").count() == 1


def test_an_outsider_cannot_accept_the_details(outsider_client):
    known = makers.make_journalist(phone="")
    Client().post("/enquiry/", _form())
    enquiry = Enquiry.objects.get()
    response = outsider_client.post(f"/desk/enquiries/{enquiry.pk}/form-details/accept/")
    assert response.status_code == 403
    known.refresh_from_db()
    assert known.phone == ""


def test_erasure_takes_what_was_given_on_the_form(officer):
    from enquiries.models import ErasureReceipt
    from enquiries.privacy.erasure import erase_contact

    makers.make_journalist()
    Client().post("/enquiry/", _form())
    erase_contact(by=officer, via=ErasureReceipt.Via.DESK, email="ola.nordmann@vg.no")
    assert Enquiry.objects.get().form_details == {}


def test_the_access_copy_holds_what_was_given_on_the_form():
    from enquiries.privacy.export import export_contact

    makers.make_journalist(phone="")
    Client().post("/enquiry/", _form())
    copy = export_contact(by=None, email="ola.nordmann@vg.no")
    assert copy["journalists"][0]["enquiries"][0]["given_on_the_form"]["phone"] == "+4799999999"
