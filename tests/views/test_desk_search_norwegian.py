"""Search as a Norwegian press officer types it: parts of compounds and prefixes match
(words from the demo data), whole words come first; forwarded FOI requests are found and
marked; a count, pages beyond the first, and a GET URL to bookmark. On both databases."""

import re

import pytest

from enquiries.handling import enquiries as handling
from enquiries.intake.public_form import Submission, submit
from enquiries.mail import outbox
from enquiries.management.demo_data import TOPICS
from enquiries.queue.listing import QueueFilters
from enquiries.queue.searching import MARK_START, search_enquiries
from tests import makers

pytestmark = pytest.mark.django_db


def _demo(topic: str):  # type: ignore[no-untyped-def]
    """One of the demo data's enquiries, logged as seed_demo logs it."""
    [(_category, title, details)] = [row for row in TOPICS if row[1] == topic]
    return makers.make_enquiry(topic=title, details=details)


def _search(client, text: str, **params: object):  # type: ignore[no-untyped-def]
    return client.get("/desk/search/", {"q": text, **params})


def _refs(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.enquiry.reference for hit in response.context["hits"]]


def test_part_of_a_compound_finds_the_whole_and_a_whole_word_comes_first(officer_client):
    # The whole word is the oldest: ranking, not age, puts it first.
    whole = makers.make_enquiry(topic="Beredskap i kommunene", details="")
    report = _demo("Beredskapsrapporten etter 22. juli")  # a prefix of the first word
    exercise = _demo("Øvelse i helseberedskap neste måned")  # the end of a compound
    eu = _demo("EU-samarbeid om helseberedskap")
    stores = _demo("Lagre av legemidler og smittevernutstyr")  # "beredskapslagre" in details
    _demo("Norges bidrag til WHO")
    refs = _refs(_search(officer_client, "beredskap"))
    assert refs[0] == whole.reference
    assert set(refs) == {e.reference for e in (whole, report, exercise, eu, stores)}


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("korona", "Evaluering av koronahåndteringen"),
        ("smittevern", "Lagre av legemidler og smittevernutstyr"),
        ("Helseberedskap", "EU-samarbeid om helseberedskap"),
        ("beredskapsrapport", "Beredskapsrapporten etter 22. juli"),
        ("antibiotika", "Mangel på antibiotika"),
    ],
)
def test_a_prefix_or_part_finds_the_demo_topic_and_marks_it(officer_client, text, topic):
    wanted = _demo(topic)
    _demo("Tall fra pasientregisteret")
    response = _search(officer_client, text)
    assert _refs(response) == [wanted.reference]
    html = response.content.decode()
    assert re.search(rf"<mark>[^<]*{text}[^<]*</mark>", html, re.IGNORECASE), html


def test_a_prefix_in_the_thread_is_found(officer_client):
    enquiry = makers.make_enquiry(topic="Spørsmål fra redaksjonen", details="")
    handling.add_message(
        enquiry_id=enquiry.pk, by=None, direction="in", body="Gjelder koronaviruset i vinter"
    )
    makers.make_enquiry(topic="Noe annet", details="")
    assert _refs(_search(officer_client, "korona")) == [enquiry.reference]


def test_short_fragments_match_whole_words_only():
    makers.make_enquiry(topic="Helseberedskap", details="")
    word = makers.make_enquiry(topic="ME og CFS", details="")
    hits = search_enquiries(text="me", filters=QueueFilters()).hits
    assert [hit.enquiry.pk for hit in hits] == [word.pk]


def test_a_forwarded_foi_request_is_found_without_a_filter_and_marked(officer_client, smtp):
    press = makers.make_enquiry(topic="Beredskapslager for legemidler", details="")
    foi, _created = submit(
        Submission(
            first_name="Kari",
            last_name="Nordmann",
            outlet="Dagbladet",
            email="kari.nordmann@dagbladet.no",
            phone="",
            mobile="",
            topic="Innsyn i avtalen om beredskapslager",
            question="Jeg ber om innsyn i avtalen, jf. offentleglova § 3.",
            deadline=None,
            is_foi=True,
            opt_out=False,
            key="search-foi-1",
        )
    )
    foi.foi_routing.refresh_from_db()
    assert outbox.deliver(email_id=foi.foi_routing.delivery_id) == "sent"
    foi.refresh_from_db()
    assert foi.status == "routed"
    # The queue leaves it out; search finds it, marked as a request for access.
    assert [row.pk for row in officer_client.get("/desk/").context["rows"]] == [press.pk]
    response = _search(officer_client, "beredskapslager")
    assert set(_refs(response)) == {press.reference, foi.reference}
    row = next(line for line in response.content.decode().splitlines() if foi.reference in line)
    assert 'class="badge text-bg-info kind-foi"' in row
    assert "status-routed" in row


def test_the_count_and_the_pages_beyond_the_first(officer_client):
    made = [makers.make_enquiry(topic=f"Vaksine nr. {i}", details="") for i in range(53)]
    first = _search(officer_client, "vaksine")
    results = first.context["results"]
    assert (results.total, results.pages, results.page, results.capped) == (53, 2, 1, False)
    assert len(results.hits) == 50
    html = first.content.decode()
    assert "53 treff" in html  # Bokmål, the desk's default
    assert 'rel="next" href="?q=vaksine&amp;page=2"' in html
    second = _search(officer_client, "vaksine", page=2)
    assert second.status_code == 200
    shown = _refs(first) + _refs(second)
    assert sorted(shown) == sorted(e.reference for e in made)  # every one, once
    assert 'rel="prev"' in second.content.decode()
    # The ids of everything found, ranked, for whoever needs them (the audit of reads).
    assert results.ranked_ids[:50] == results.page_ids


# Not "page": that is pytest-playwright's fixture, and naming it pulls the browser's
# session-scoped parameters in, which makes pytest regroup the tests and run some that need
# the migrated baseline after the browser tests have flushed it.
@pytest.mark.parametrize(("number", "shown"), [("abc", 1), ("0", 1), ("-1", 1), ("99999999", 2)])
def test_a_page_number_out_of_range_is_clamped(officer_client, number, shown):
    for i in range(51):
        makers.make_enquiry(topic=f"Vaksine {i}", details="")
    response = _search(officer_client, "vaksine", page=number)
    assert response.status_code == 200
    assert response.context["results"].page == shown


def test_the_search_url_can_be_bookmarked_with_its_filters(officer_client):
    makers.make_enquiry(topic="Vaksine", channel="phone")
    by_mail = makers.make_enquiry(topic="Vaksine", channel="email")
    url = "/desk/search/?q=vaksine&channel=email"
    response = officer_client.get(url)
    assert _refs(response) == [by_mail.reference]
    html = response.content.decode()
    assert 'form method="get" action="/desk/search/"' in html
    assert 'name="channel" value="email"' in html  # the filter rides along with a new search


def test_the_headline_marks_a_part_of_a_compound():
    makers.make_enquiry(topic="Øvelse i helseberedskap", details="")
    [hit] = search_enquiries(text="beredskap", filters=QueueFilters()).hits
    assert f"helse{MARK_START}beredskap" in hit.headline


@pytest.mark.postgres
@pytest.mark.parametrize("text", ["400 33", "ola.nordmann@vg"])
def test_a_phone_number_or_address_is_not_looked_for_inside_words(text):
    # Parts of words are for Norwegian compounds: a number or an address is found through
    # the contacts (the index-friendly branches), not as a substring of the text.
    ola = makers.make_enquiry(journalist=makers.make_journalist(), topic="Om ME", details="")
    makers.make_enquiry(topic="Tall: 4003 innleggelser", details="Kopi til ola.nordmann@vg.nox")
    hits = search_enquiries(text=text, filters=QueueFilters()).hits
    assert [hit.enquiry.pk for hit in hits] == [ola.pk]


@pytest.mark.parametrize(
    ("text", "topic", "details"),
    [
        ("antibiotikamangel", "Mangel på antibiotika", ""),
        ("smittevernutstyr", "Utstyr", "Nok utstyr til smittevern i kommunene?"),
        ("beredskapsrapport", "Rapport om beredskap", ""),  # the binding "s" left off
    ],
)
def test_a_compound_that_finds_nothing_is_read_as_its_two_words(
    officer_client, text, topic, details
):
    wanted = makers.make_enquiry(topic=topic, details=details)
    makers.make_enquiry(topic="Mangel på sykepleiere", details="")  # one part only
    makers.make_enquiry(topic="Tall fra pasientregisteret", details="")
    response = _search(officer_client, text)
    assert _refs(response) == [wanted.reference]
    # The page says what was searched instead, in the officer's language.
    status = response.content.decode().split('id="search-count"')[1].split("</p>")[0]
    assert f"«{text}»" in status or f"“{text}”" in status, status


def test_a_compound_is_not_split_when_the_word_itself_is_found(officer_client):
    whole = makers.make_enquiry(topic="Antibiotikamangel i Europa", details="")
    makers.make_enquiry(topic="Mangel på antibiotika", details="")
    response = _search(officer_client, "antibiotikamangel")
    assert _refs(response) == [whole.reference]
    assert response.context["results"].read_as == ()


def test_a_word_found_nowhere_in_any_reading_finds_nothing(officer_client):
    makers.make_enquiry(topic="Mangel på sykepleiere", details="")
    response = _search(officer_client, "antibiotikamangel")
    assert _refs(response) == []
    assert response.context["results"].read_as == ()
