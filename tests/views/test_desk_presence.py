"""Two officers with the same enquiry open are told so; the cache holds officer ids only."""

import re
import time

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from enquiries.handling import presence
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def pia_client():
    pia = makers.make_officer(username="pia", first_name="Pia", last_name="Presse")
    client = Client()
    client.force_login(pia)
    return client


def _notice(page: str) -> str:
    found = re.search(r'<div[^>]*id="also-open"[^>]*>.*?</div>', page, re.DOTALL)
    assert found
    return found.group(0)


def test_the_second_officer_sees_who_else_has_the_enquiry_open(officer_client, pia_client):
    enquiry = makers.make_enquiry()
    url = f"/desk/enquiries/{enquiry.pk}/"
    first = _notice(pia_client.get(url).content.decode())
    assert " hidden" in first.split(">", 1)[0]  # alone: the notice is there, hidden
    assert "Pia Presse" not in first
    second = _notice(officer_client.get(url).content.decode())
    assert " hidden" not in second.split(">", 1)[0]
    assert "Pia Presse" in second
    # Pia's page asks again (its heartbeat) and learns of the other officer.
    answer = pia_client.post(f"{url}presence/").json()
    assert answer == {"others": ["officer"]}


def test_another_enquiry_open_is_no_notice(officer_client, pia_client):
    one, other = makers.make_enquiry(), makers.make_enquiry()
    pia_client.get(f"/desk/enquiries/{one.pk}/")
    page = officer_client.get(f"/desk/enquiries/{other.pk}/").content.decode()
    assert "Pia Presse" not in _notice(page)


def test_leaving_the_page_clears_the_notice(officer_client, pia_client):
    enquiry = makers.make_enquiry()
    url = f"/desk/enquiries/{enquiry.pk}/"
    pia_client.get(url)
    assert pia_client.post(f"{url}presence/", {"leaving": "1"}).json() == {"others": []}
    assert officer_client.post(f"{url}presence/").json() == {"others": []}


def test_a_page_left_without_a_word_lapses(officer_client, pia_client):
    enquiry = makers.make_enquiry()
    url = f"/desk/enquiries/{enquiry.pk}/"
    pia_client.get(url)
    # Past the lapse by our clock (Redis expires the key later by its own); no sleep.
    with time_machine.travel(time.time() + presence.PRESENCE_SECONDS + 1, tick=False):
        assert officer_client.post(f"{url}presence/").json() == {"others": []}


def test_the_cache_holds_ids_and_a_time_only(officer, pia_client):
    enquiry = makers.make_enquiry()
    pia_client.get(f"/desk/enquiries/{enquiry.pk}/")
    pia_id = pia_client.session["_auth_user_id"]
    value = cache.get(f"desk-presence:v1:{enquiry.pk}:{pia_id}")
    assert isinstance(value, int)
    assert presence.others_present(
        enquiry_id=enquiry.pk, officer_id=officer.pk, officer_ids=[officer.pk, int(pia_id)]
    ) == [int(pia_id)]


def test_presence_for_an_unknown_enquiry_is_404(officer_client):
    assert officer_client.post("/desk/enquiries/999999/presence/").status_code == 404


def test_presence_needs_the_press_officer_permission(outsider_client, client):
    enquiry = makers.make_enquiry()
    assert outsider_client.post(f"/desk/enquiries/{enquiry.pk}/presence/").status_code == 403
    assert client.post(f"/desk/enquiries/{enquiry.pk}/presence/").status_code == 302
