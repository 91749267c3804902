"""/desk/journalists/<id>/: the contact, its enquiries newest first, edit and merge."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries.models import AuditEvent, Journalist
from enquiries.queue.records import CARD_PAGE_SIZE
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def ola():
    return makers.make_journalist(outlet=makers.make_outlet())


def test_the_card_shows_the_contact_and_enquiries_newest_first(officer_client, officer, ola):
    now = timezone.now()
    old = makers.make_enquiry(journalist=ola, topic="Eldste", received_at=now - timedelta(days=9))
    new = makers.make_enquiry(journalist=ola, topic="Nyeste", received_at=now - timedelta(days=1))
    makers.make_enquiry(topic="Noen andres")
    response = officer_client.get(f"/desk/journalists/{ola.pk}/")
    html = response.content.decode()
    assert [e.pk for e in response.context["enquiries"]] == [new.pk, old.pk]
    for text in ["Ola Nordmann", "ola.nordmann@vg.no", "40 03 34 31", "VG"]:
        assert text in html
    assert "Noen andres" not in html
    event = AuditEvent.objects.get(action="journalist.viewed")
    assert (event.actor_id, event.journalist_id, event.detail) == (officer.pk, ola.pk, {})


def test_editing_the_contact_normalises_and_audits_field_names(officer_client, ola):
    response = officer_client.post(
        f"/desk/journalists/{ola.pk}/edit/",
        {
            "first_name": "Ola",
            "last_name": "Nordmann",
            "email": " Ola.Nordmann@NRK.no ",
            "phone": "22 33 44 55",
            "mobile": "+47 400 33 431",
            "outlet_name": "NRK",
        },
    )
    assert response.status_code == 302
    ola.refresh_from_db()
    assert (ola.email, ola.phone, ola.outlet.name) == ("ola.nordmann@nrk.no", "+4722334455", "NRK")
    event = AuditEvent.objects.get(action="journalist.changed")
    assert set(event.detail["fields"]) == {"email", "phone", "outlet"}
    assert "nrk" not in str(event.detail).lower()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-address"),
        ("email", "a@b.no\r\nBcc: x@evil.example"),
        ("phone", "12"),
        ("first_name", ""),
        ("last_name", "x" * 101),
        ("first_name", "O\x00la"),
    ],
)
def test_a_bad_contact_edit_is_a_field_error(officer_client, ola, field, value):
    data = {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "email": "ola.nordmann@vg.no",
        "mobile": "+47 400 33 431",
        "outlet_name": "VG",
        field: value,
    }
    response = officer_client.post(f"/desk/journalists/{ola.pk}/edit/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AuditEvent.objects.filter(action="journalist.changed").exists()


def test_an_address_that_belongs_to_someone_else_is_refused(officer_client, ola):
    makers.make_journalist(first_name="Kari", last_name="Holm", email="kari@nrk.no")
    data = {"first_name": "Ola", "last_name": "Nordmann", "email": "KARI@nrk.no"}
    response = officer_client.post(f"/desk/journalists/{ola.pk}/edit/", data)
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


def test_merging_a_duplicate_moves_its_enquiries_once_confirmed(officer_client, ola):
    duplicate = makers.make_journalist(email=None, mobile="")
    enquiry = makers.make_enquiry(journalist=duplicate)
    card = officer_client.get(f"/desk/journalists/{ola.pk}/")
    assert duplicate in card.context["candidates"]
    assert f'action="/desk/journalists/{ola.pk}/merge/"' in card.content.decode()
    choices = dict.fromkeys(
        ["first_name", "last_name", "email", "phone", "mobile", "outlet"], "keep"
    )
    url = f"/desk/journalists/{ola.pk}/merge/"
    review = officer_client.post(url, {"duplicate": duplicate.pk, "action": "review", **choices})
    assert review.status_code == 200
    assert Journalist.objects.filter(pk=duplicate.pk).exists()
    response = officer_client.post(url, {"duplicate": duplicate.pk, "action": "confirm", **choices})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.journalist_id == ola.pk
    assert not Journalist.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize("value", ["", "abc", "0", "999999"])
def test_a_bad_merge_changes_nothing(officer_client, ola, value):
    response = officer_client.post(
        f"/desk/journalists/{ola.pk}/merge/", {"duplicate": value, "action": "confirm"}
    )
    assert response.status_code == 400
    assert Journalist.objects.count() == 1
    assert not AuditEvent.objects.filter(action="journalist.merged").exists()


def test_merging_with_itself_is_refused(officer_client, ola):
    officer_client.post(f"/desk/journalists/{ola.pk}/merge/", {"duplicate": ola.pk})
    assert Journalist.objects.filter(pk=ola.pk).exists()


def test_the_card_lists_enquiries_a_page_at_a_time(officer_client, ola):
    now = timezone.now()
    made = [
        makers.make_enquiry(journalist=ola, received_at=now - timedelta(minutes=i))
        for i in range(CARD_PAGE_SIZE + 3)
    ]
    first = officer_client.get(f"/desk/journalists/{ola.pk}/")
    assert [e.pk for e in first.context["enquiries"]] == [e.pk for e in made[:CARD_PAGE_SIZE]]
    cursor = first.context["next_cursor"]
    assert f'href="?after={cursor}"' in first.content.decode()
    rest = officer_client.get(f"/desk/journalists/{ola.pk}/?after={cursor}")
    assert [e.pk for e in rest.context["enquiries"]] == [e.pk for e in made[CARD_PAGE_SIZE:]]
    assert rest.context["next_cursor"] is None
