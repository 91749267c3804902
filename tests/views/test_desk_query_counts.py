"""Each desk page runs a fixed number of queries whatever the page size or thread length:
the same count at 3 rows as at 30, so an N+1 fails here. Each query is named.

What is counted is the steady state: the same request made once just before, to warm what
the page keeps in the cache (this test's own keys: tests/conftest.py gives each test its own
KEY_PREFIX, sessions included), with the clock stopped so the session is not due for its
once-a-minute save however slow the machine. Nothing depends on what another test left.
"""

import pytest
from django.test import Client

from enquiries.handling import enquiries as handling
from enquiries.models import TopicCategory
from tests import makers

# The counts are the production stack's: sessions come from Redis (cached_db).
pytestmark = [pytest.mark.django_db, pytest.mark.redis, pytest.mark.usefixtures("stopped_clock")]

# Every desk request starts with the same one: the user with the press-officer permission
# (DeskAuthBackend). The session itself comes from the cache (cached_db, warmed), and is not
# saved: IdleSessionMiddleware writes it at most once a minute, and the clock is stopped.
SESSION_AND_PERMISSIONS = 1
SESSION_SAVE = 0


@pytest.fixture
def cast():
    category = TopicCategory.objects.create(name="Beredskap")
    officers = [makers.make_officer(username=f"officer{i}") for i in range(3)]
    outlets = [makers.make_outlet(name=f"Avis {i}") for i in range(3)]
    journalist = makers.make_journalist(outlet=outlets[0])
    return {
        "category": category,
        "officers": officers,
        "outlets": outlets,
        "journalist": journalist,
    }


def _enquiries(cast, rows: int):
    made = []
    for i in range(rows):
        enquiry = makers.make_enquiry(
            journalist=cast["journalist"],
            outlet=cast["outlets"][i % 3],
            topic_category=cast["category"],
            topic=f"Beredskapslager {i}",
        )
        handling.assign(enquiry_id=enquiry.pk, officer_id=cast["officers"][i % 3].pk, by=None)
        made.append(enquiry)
    return made


@pytest.mark.parametrize("rows", [3, 30])
def test_the_queue(rows, cast, officer_client, django_assert_num_queries):
    _enquiries(cast, rows)
    officer_client.get("/desk/")  # warms the session
    # + the filters' categories (the officers come from the cache, warmed), the page of
    #   enquiries with journalist/outlet/category/officer joined, and the counters (new,
    #   overdue, rights requests, FOI not forwarded) in one statement, the officer on press
    #   duty, INSERT the queue.listed audit event with the page's ids
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 5 + SESSION_SAVE):
        response = officer_client.get("/desk/")
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_a_filtered_queue(rows, cast, officer_client, django_assert_num_queries):
    _enquiries(cast, rows)
    query = f"/desk/?status=new&channel=phone&category={cast['category'].pk}"
    officer_client.get(query)  # warms the session
    # + the filters' categories, the filtered page, the counters, the duty officer, INSERT
    #   the queue.listed audit event
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 5 + SESSION_SAVE):
        response = officer_client.get(query)
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_a_search(rows, cast, officer_client, django_assert_num_queries):
    _enquiries(cast, rows)
    officer_client.get("/desk/search/", {"q": "beredskapslager"})  # warms the session
    # + the filters' categories (1), the counters (2), journalist and outlet ids by
    #   trigram in one UNION ALL (3), every match's id ranked, the candidates a UNION of one
    #   branch per way of matching (4), the page's rows highlighted (5), the duty officer
    #   (6), INSERT the search-results audit event with the page's ids (7)
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 7 + SESSION_SAVE):
        response = officer_client.get("/desk/search/", {"q": "beredskapslager"})
    assert len(response.context["hits"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_enquiry_page(rows, cast, officer_client, django_assert_num_queries):
    enquiry = _enquiries(cast, 1)[0]
    for i in range(rows):
        handling.add_message(
            enquiry_id=enquiry.pk, by=cast["officers"][i % 3], direction="note", body=f"Notat {i}"
        )
    officer_client.get(f"/desk/enquiries/{enquiry.pk}/")  # warms the session
    # + the enquiry with its people and FOI routing (1), INSERT the enquiry.viewed audit
    #   event (2), the newest THREAD_SHOWN messages with who added each and the delivery of
    #   the mails we sent (3), their attachments, without content (4), the newest changes in
    #   the history, views left out (5), the outgoing mail (6), the canned replies for the
    #   reply form (7); the officers for assignment come from the cache
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 7 + SESSION_SAVE):
        response = officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    assert len(response.context["thread"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_journalist_card(rows, cast, officer_client, django_assert_num_queries):
    _enquiries(cast, rows)
    officer_client.get(f"/desk/journalists/{cast['journalist'].pk}/")  # warms the session
    # + the journalist with the outlet (1), a page of their enquiries with
    #   outlet/category/officer joined (2), their rights requests (3), the merge candidates
    #   (4), INSERT the journalist.viewed audit event with the page's ids (5), whether the
    #   officer is an auditor (6: no, so no list of readers)
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 6 + SESSION_SAVE):
        response = officer_client.get(f"/desk/journalists/{cast['journalist'].pk}/")
    assert len(response.context["enquiries"]) == rows


@pytest.mark.parametrize("readers", [3, 30])
def test_the_journalist_card_for_an_auditor(
    readers, cast, officer_client, officer, django_assert_num_queries
):
    from django.contrib.auth.models import Group

    officer.groups.add(Group.objects.get(name="Auditors"))
    _enquiries(cast, 3)
    for i in range(readers):
        reader = makers.make_officer(username=f"reader{i}")
        reader_client = Client()
        reader_client.force_login(reader)
        reader_client.get(f"/desk/journalists/{cast['journalist'].pk}/")
    officer_client.get(f"/desk/journalists/{cast['journalist'].pk}/")  # warms the session
    # + the journalist (1), their enquiries (2), their rights requests (3), the merge
    #   candidates (4), INSERT the journalist.viewed event (5), whether the officer is an
    #   auditor (6: yes), the readers grouped by officer and kind with names joined (7)
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 7 + SESSION_SAVE):
        response = officer_client.get(f"/desk/journalists/{cast['journalist'].pk}/")
    assert len(response.context["readers"]) == readers + 1
