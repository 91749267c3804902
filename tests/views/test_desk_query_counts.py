"""Each desk page runs a fixed number of queries whatever the page size or thread length:
the same count at 3 rows as at 30, so an N+1 fails here. Each query is named."""

import pytest

from enquiries.models import TopicCategory
from enquiries.services import handling
from tests import makers

# The counts are the production stack's: sessions come from Redis (cached_db).
pytestmark = [pytest.mark.django_db, pytest.mark.redis]

# Every desk request starts with the same one: the user with the press-officer permission
# (DeskAuthBackend). The session comes from Redis and is written at most once a minute
# (IdleSessionMiddleware). The tests count the steady state, after a first page.
SESSION_AND_PERMISSIONS = 1
SESSION_SAVE = 0


@pytest.fixture
def officer_client(officer_client):  # type: ignore[no-untyped-def]
    officer_client.get("/desk/")
    return officer_client


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
    # + the filters' officers and categories, the page of enquiries with
    #   journalist/outlet/category/officer joined, and the counters (new, overdue, rights
    #   requests, FOI not forwarded) in one statement
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 4 + SESSION_SAVE):
        response = officer_client.get("/desk/")
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_a_filtered_queue(rows, cast, officer_client, django_assert_num_queries):
    _enquiries(cast, rows)
    query = f"/desk/?status=new&channel=phone&category={cast['category'].pk}"
    # + the filters' officers and categories, the filtered page, the counters
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 4 + SESSION_SAVE):
        response = officer_client.get(query)
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_a_search(rows, cast, officer_client, django_assert_num_queries):
    _enquiries(cast, rows)
    # + the filters' officers and categories, the counters, journalist ids (trigram),
    #   outlet ids (trigram), the ranked and highlighted enquiries
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 6 + SESSION_SAVE):
        response = officer_client.post("/desk/search/", {"q": "beredskapslager"})
    assert len(response.context["hits"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_enquiry_page(rows, cast, officer_client, django_assert_num_queries):
    enquiry = _enquiries(cast, 1)[0]
    for i in range(rows):
        handling.add_message(
            enquiry_id=enquiry.pk, by=cast["officers"][i % 3], direction="note", body=f"Notat {i}"
        )
    # + the enquiry with its people and FOI routing, the thread with who added each message,
    #   the officers for assignment, INSERT the enquiry.viewed audit event, the history
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 5 + SESSION_SAVE):
        response = officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    assert len(response.context["thread"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_journalist_card(rows, cast, officer_client, django_assert_num_queries):
    _enquiries(cast, rows)
    # + the journalist with the outlet, INSERT the journalist.viewed audit event, their
    #   enquiries with outlet/category/officer joined, the merge candidates
    with django_assert_num_queries(SESSION_AND_PERMISSIONS + 4 + SESSION_SAVE):
        response = officer_client.get(f"/desk/journalists/{cast['journalist'].pk}/")
    assert len(response.context["enquiries"]) == rows
