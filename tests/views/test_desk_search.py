"""Search on the queue page: full text with Norwegian stems, contacts by any part of a name,
e-mail or phone number, outlets; ranked; the match highlighted and everything escaped."""

import pytest

from enquiries.handling import enquiries as handling
from enquiries.queue.listing import QueueFilters
from enquiries.queue.searching import MARK_START, MARK_STOP, search_plain, search_postgres
from tests import makers

pytestmark = pytest.mark.django_db


def _search(client, text: str, **params: str):
    return client.get("/desk/search/", {"q": text, **params})


def _refs(response) -> list[str]:
    return [hit.enquiry.reference for hit in response.context["hits"]]


def _ids(results) -> list[int]:
    return [hit.enquiry.pk for hit in results.hits]


@pytest.mark.postgres
def test_a_topic_word_is_found_by_its_stem_and_highlighted(officer_client):
    found = makers.make_enquiry(topic="Smittevernutstyret i beredskapslagrene", details="")
    makers.make_enquiry(topic="Noe helt annet", details="Ingen treff her")
    response = _search(officer_client, "smittevernutstyr")
    assert _refs(response) == [found.reference]
    assert "<mark>Smittevernutstyret</mark>" in response.content.decode()


def test_the_message_thread_is_searched(officer_client):
    enquiry = makers.make_enquiry(topic="Spørsmål", details="")
    handling.add_message(
        enquiry_id=enquiry.pk, by=None, direction="in", body="Gjelder vaksinasjonsprogrammet"
    )
    assert _refs(_search(officer_client, "vaksinasjonsprogrammet")) == [enquiry.reference]


@pytest.mark.parametrize("text", ["Nordm", "ola nord", "ola.nordmann@vg", "400 33", "33431"])
def test_a_journalist_is_found_by_part_of_a_name_e_mail_or_phone(officer_client, text):
    ola = makers.make_journalist()
    kari = makers.make_journalist(
        first_name="Kari", last_name="Holm", email="kari@nrk.no", mobile="+47 415 22 901"
    )
    theirs = makers.make_enquiry(journalist=ola, topic="Om ME")
    makers.make_enquiry(journalist=kari, topic="Om ME")
    response = _search(officer_client, text)
    assert _refs(response) == [theirs.reference]


def test_a_name_match_is_highlighted_in_the_journalist_column(officer_client):
    makers.make_enquiry(journalist=makers.make_journalist(), topic="Om ME")
    html = _search(officer_client, "nordm").content.decode()
    assert "Ola <mark>Nordm</mark>ann" in html
    html = _search(officer_client, "ola nord").content.decode()
    assert "<mark>Ola Nord</mark>mann" in html
    html = _search(officer_client, "ola mann").content.decode()
    assert "<mark>Ola</mark> Nord<mark>mann</mark>" in html


def test_an_outlet_is_found_by_part_of_its_name(officer_client):
    outlet = makers.make_outlet(name="Bergens Tidende")
    journalist = makers.make_journalist(outlet=outlet, email=None)
    found = makers.make_enquiry(journalist=journalist, topic="Sak")
    makers.make_enquiry(topic="Sak")
    assert _refs(_search(officer_client, "tidende")) == [found.reference]


def test_results_are_ranked_topic_before_details(officer_client):
    in_details = makers.make_enquiry(topic="Et spørsmål", details="Gjelder legemiddelmangel")
    in_topic = makers.make_enquiry(topic="Legemiddelmangel", details="")
    assert _refs(_search(officer_client, "legemiddelmangel")) == [
        in_topic.reference,
        in_details.reference,
    ]


def test_search_respects_the_filters(officer_client):
    makers.make_enquiry(topic="Vaksine", channel="phone")
    by_mail = makers.make_enquiry(topic="Vaksine", channel="email")
    assert _refs(_search(officer_client, "vaksine", channel="email")) == [by_mail.reference]


def test_markup_in_stored_text_is_escaped_in_results(officer_client):
    makers.make_enquiry(topic='Vaksine "><img src=x onerror=alert(1)>', details="")
    html = _search(officer_client, "vaksine").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_an_old_posted_search_is_sent_on_to_the_bookmarkable_get(officer_client):
    found = makers.make_enquiry(topic="Vaksine")
    response = officer_client.post("/desk/search/", {"q": "vaksine", "channel": "phone"})
    assert response.status_code == 303
    assert response["Location"].startswith("/desk/search/?")
    assert "csrfmiddlewaretoken" not in response["Location"]
    followed = officer_client.get(response["Location"])
    assert _refs(followed) == [found.reference]
    assert followed.context["filter_form"].cleaned_data["channel"] == "phone"


def test_the_search_page_without_a_query_asks_for_one(officer_client):
    response = officer_client.get("/desk/search/")
    assert response.status_code == 200
    assert response.context["results"] is None


@pytest.mark.parametrize("name", ["received_from", "received_to"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_filter_off_the_calendar_is_ignored_in_search(officer_client, name, day):
    makers.make_enquiry(topic="Vaksiner")
    response = officer_client.get("/desk/search/", {"q": "vaksiner", name: day})
    assert response.status_code == 200
    assert name in response.context["filter_form"].errors
    assert [hit.enquiry.topic for hit in response.context["hits"]] == ["Vaksiner"]


@pytest.mark.parametrize("text", ["", "   ", "x" * 201, "a\x00b", "!!!", "&|:*"])
def test_odd_search_text_is_a_clear_answer_not_a_500(officer_client, text):
    makers.make_enquiry()
    response = _search(officer_client, text)
    assert response.status_code in {200, 400}


def test_the_plain_fallback_matches_substrings_and_marks_them():
    journalist = makers.make_journalist()
    found = makers.make_enquiry(topic="Beredskapslager for smittevern", journalist=journalist)
    makers.make_enquiry(topic="Annet", details="")
    hits = search_plain(text="lager", filters=QueueFilters()).hits
    assert [hit.enquiry.pk for hit in hits] == [found.pk]
    assert f"{MARK_START}lager{MARK_STOP}" in hits[0].headline
    by_name = search_plain(text="nordmann", filters=QueueFilters())
    assert _ids(by_name) == [found.pk]
    handling.add_message(enquiry_id=found.pk, by=None, direction="in", body="Om antivirale")
    in_thread = search_plain(text="antiviral", filters=QueueFilters())
    assert _ids(in_thread) == [found.pk]


def test_a_reference_is_found_in_any_letter_case(officer_client):
    wanted = makers.make_enquiry(topic="Noe")
    makers.make_enquiry(topic="Noe annet")
    assert _refs(_search(officer_client, wanted.reference.lower())) == [wanted.reference]


@pytest.mark.postgres
def test_only_the_newest_matches_are_ranked():
    made = [makers.make_enquiry(topic="Vaksine") for _ in range(3)]
    hits = search_postgres(text="vaksine", filters=QueueFilters(), candidates=2).hits
    assert sorted(hit.enquiry.pk for hit in hits) == sorted(e.pk for e in made[1:])


@pytest.mark.postgres
def test_a_journalists_enquiries_are_ranked_beside_newer_word_matches():
    # Each way of matching brings its own newest candidates: newer enquiries that only
    # mention the name do not push the journalist's own out.
    journalist = makers.make_journalist(last_name="Fjellheim", email="kari@fjellheim.no")
    own = makers.make_enquiry(topic="Noe annet", journalist=journalist)
    makers.make_enquiry(topic="Fjellheim sykehus")
    makers.make_enquiry(topic="Fjellheim sykehus igjen")
    hits = search_postgres(text="kari@fjellheim.no", filters=QueueFilters(), candidates=2)
    assert _ids(hits) == [own.pk]
    hits = search_postgres(text="fjellheim", filters=QueueFilters(), candidates=1)
    assert own.pk in _ids(hits)


@pytest.mark.postgres
def test_a_word_only_in_older_enquiries_is_found_past_the_recent_window():
    old = makers.make_enquiry(topic="Kolera i Bergen")
    for _ in range(3):
        makers.make_enquiry(topic="Vaksine")
    hits = search_postgres(text="kolera", filters=QueueFilters(), recent_window=2)
    assert _ids(hits) == [old.pk]


@pytest.mark.postgres
def test_older_matches_are_left_out_when_the_recent_window_holds_enough():
    makers.make_enquiry(topic="Vaksine")
    newer = [makers.make_enquiry(topic="Vaksine") for _ in range(2)]
    hits = search_postgres(
        text="vaksine", filters=QueueFilters(), candidates=2, recent_window=2
    ).hits
    assert sorted(hit.enquiry.pk for hit in hits) == sorted(e.pk for e in newer)
