"""/desk/: newest first, filters, "mine"/"unassigned", the counts, keyset pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries.handling import enquiries as handling
from enquiries.models import RightsRequest, TopicCategory
from enquiries.queue.listing import Cursor, QueueFilters, desk_queue, unrouted_foi
from enquiries.queue.rights_list import rights_counts
from tests import makers

pytestmark = pytest.mark.django_db


def _refs(response) -> list[str]:
    return [row.reference for row in response.context["rows"]]


def _at(hours_ago: float):
    return timezone.now() - timedelta(hours=hours_ago)


def test_the_queue_is_newest_first(officer_client):
    old = makers.make_enquiry(topic="Gammel", received_at=_at(5))
    new = makers.make_enquiry(topic="Ny", received_at=_at(1))
    response = officer_client.get("/desk/")
    assert _refs(response) == [new.reference, old.reference]
    assert "Gammel" in response.content.decode()


def test_the_queue_filters_by_status_kind_and_channel(officer_client):
    phone = makers.make_enquiry(topic="Telefon", received_at=_at(3))
    email = makers.make_enquiry(topic="Epost", channel="email", received_at=_at(2))
    foi = makers.make_enquiry(topic="Innsyn", kind="foi", received_at=_at(1))
    handling.change_status(enquiry_id=email.pk, status="in_progress", by=None)
    assert _refs(officer_client.get("/desk/?channel=email")) == [email.reference]
    assert _refs(officer_client.get("/desk/?status=in_progress")) == [email.reference]
    assert _refs(officer_client.get("/desk/?kind=foi")) == [foi.reference]
    assert _refs(officer_client.get("/desk/?status=new&kind=press")) == [phone.reference]


def test_mine_unassigned_and_by_officer(officer_client, officer):
    colleague = makers.make_officer(username="kollega")
    mine = makers.make_enquiry(topic="Min", received_at=_at(3))
    theirs = makers.make_enquiry(topic="Deres", received_at=_at(2))
    nobodys = makers.make_enquiry(topic="Ingen", received_at=_at(1))
    handling.assign(enquiry_id=mine.pk, officer_id=officer.pk, by=officer)
    handling.assign(enquiry_id=theirs.pk, officer_id=colleague.pk, by=officer)
    assert _refs(officer_client.get("/desk/?assigned=mine")) == [mine.reference]
    assert _refs(officer_client.get("/desk/?assigned=none")) == [nobodys.reference]
    assert _refs(officer_client.get(f"/desk/?assigned={colleague.pk}")) == [theirs.reference]


def test_topic_category_and_date_range(officer_client):
    category = TopicCategory.objects.create(name="Beredskap")
    zone = timezone.get_current_timezone()
    in_march = makers.make_enquiry(
        received_at=timezone.datetime(2026, 3, 10, 9, 0, tzinfo=zone), topic_category=category
    )
    makers.make_enquiry(received_at=timezone.datetime(2026, 4, 1, 0, 30, tzinfo=zone))
    makers.make_enquiry(received_at=timezone.datetime(2026, 2, 28, 23, 59, tzinfo=zone))
    assert _refs(officer_client.get(f"/desk/?category={category.pk}")) == [in_march.reference]
    response = officer_client.get("/desk/?received_from=2026-03-01&received_to=2026-03-31")
    assert _refs(response) == [in_march.reference]


def test_overdue_means_deadline_passed_and_not_answered(officer_client):
    late = makers.make_enquiry(received_at=_at(10), deadline=_at(1))
    answered = makers.make_enquiry(received_at=_at(10), deadline=_at(1))
    handling.change_status(enquiry_id=answered.pk, status="answered", by=None)
    makers.make_enquiry(received_at=_at(10), deadline=_at(-5))  # not due yet
    response = officer_client.get("/desk/?overdue=on")
    assert _refs(response) == [late.reference]


def test_the_counts_of_new_and_overdue_are_always_shown(officer_client):
    makers.make_enquiry(received_at=_at(10), deadline=_at(1))
    makers.make_enquiry(received_at=_at(2))
    started = makers.make_enquiry(received_at=_at(3), deadline=_at(2))
    handling.change_status(enquiry_id=started.pk, status="in_progress", by=None)
    response = officer_client.get("/desk/?kind=foi")  # even when the filter shows none
    assert response.context["counts"] == {
        "new": 2,
        "overdue": 2,
        "rights_open": 0,
        "rights_overdue": 0,
        "foi_unrouted": 0,
        "mail_failed": 0,
        "mail_held": 0,
        "foi_held": 0,
    }
    html = response.content.decode()
    assert 'id="count-new"' in html
    assert 'id="count-overdue"' in html


def test_the_counters_agree_with_the_lists_they_stand_for(officer_client, office_clock):
    """queue_counts is one SQL statement; rights_counts and unrouted_foi say the same."""
    today = timezone.localdate()
    for due, extended in [(today - timedelta(days=1), None), (today, None),
                          (today - timedelta(days=3), today + timedelta(days=20))]:  # fmt: skip
        RightsRequest.objects.create(
            kind="access", channel="phone", received_at=timezone.now(),
            due_date=due, extended_due_date=extended,
        )  # fmt: skip
    RightsRequest.objects.create(
        kind="access", channel="phone", received_at=timezone.now(),
        due_date=today - timedelta(days=9), status="done",
    )  # fmt: skip
    late = makers.make_enquiry(received_at=_at(3), kind="foi")
    makers.make_enquiry(received_at=timezone.now(), kind="foi")  # not an hour yet
    counts = officer_client.get("/desk/").context["counts"]
    assert (counts["rights_open"], counts["rights_overdue"]) == (3, 1)
    assert counts | rights_counts(today=today) == counts
    assert counts["foi_unrouted"] == 1
    assert [alert.enquiry.pk for alert in unrouted_foi()] == [late.pk]


def test_keyset_pages_cover_every_row_once_even_with_equal_times(officer_client):
    same_time = _at(2)
    made = [makers.make_enquiry(received_at=same_time) for _ in range(5)]
    made += [makers.make_enquiry(received_at=_at(1 + i / 10)) for i in range(4)]
    seen = []
    cursor = None
    while True:
        page = desk_queue(
            filters=QueueFilters(),
            after=Cursor.decode(cursor) if cursor else None,
            page_size=2,
        )
        seen += [row.pk for row in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(enquiry.pk for enquiry in made)
    assert len(seen) == len(set(seen))


def test_the_older_link_carries_the_filters_and_a_cursor(officer_client, settings):
    for hours in range(3):
        makers.make_enquiry(received_at=_at(hours + 1), channel="email")
    page = desk_queue(filters=QueueFilters(channel="email"), page_size=1)
    response = officer_client.get(f"/desk/?channel=email&after={page.next_cursor}")
    assert _refs(response) == [
        row.reference
        for row in desk_queue(
            filters=QueueFilters(channel="email"),
            after=Cursor.decode(page.next_cursor),
        ).rows
    ]
    assert len(_refs(response)) == 2
    assert "Newest" in response.content.decode() or "Nyeste" in response.content.decode()


def test_the_cursor_survives_a_round_trip_to_the_microsecond():
    when = timezone.now().replace(microsecond=123456)
    cursor = Cursor(received_at=when, id=42)
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize(
    "query",
    [
        "after=garbage",
        "after=99999999999999999999999-1",
        "after=-5-3",
        "status=nonsense",
        "assigned=someone",
        "category=abc",
        "received_from=2026-13-45",
        "channel=%00",
        "received_to=9999-12-31",
        "received_from=9999-12-31",
        "received_from=0001-01-01",
        "received_to=0001-01-01",
    ],
)
def test_bad_filters_are_ignored_not_a_500(officer_client, query):
    makers.make_enquiry()
    response = officer_client.get(f"/desk/?{query}")
    assert response.status_code == 200


def test_a_date_off_the_calendar_is_a_field_error_and_the_filter_is_ignored(officer_client):
    makers.make_enquiry(topic="Vaksiner")
    response = officer_client.get("/desk/?received_to=9999-12-31")
    assert response.status_code == 200
    assert "received_to" in response.context["filter_form"].errors
    assert [row.topic for row in response.context["rows"]] == ["Vaksiner"]


def test_stored_markup_is_escaped_in_the_queue(officer_client):
    evil = '"><img src=x onerror=alert(1)>'
    outlet = makers.make_outlet(name=evil)
    journalist = makers.make_journalist(first_name=evil, email=None, outlet=outlet)
    makers.make_enquiry(topic=evil, journalist=journalist, opted_out=True)
    html = officer_client.get("/desk/").content.decode()
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 3


def test_filter_controls_keep_the_chosen_values(officer_client):
    html = officer_client.get("/desk/?channel=email&overdue=on&received_from=2026-03-01").content
    html = html.decode()
    assert '<option value="email" selected>' in html
    assert 'name="overdue" id="id_overdue" checked' in html
    assert 'value="2026-03-01"' in html
