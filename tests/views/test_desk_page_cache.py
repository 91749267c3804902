"""The queue's first page is cached per officer and is never stale after a committed change,
however the change was written (ORM, .update(), raw SQL), in this process or another."""

import pytest
from django.db import connection, transaction
from django.test import Client

from enquiries import desk_changes
from enquiries.models import Enquiry
from enquiries.services import handling, privacy
from tests import makers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def desk(officer) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(officer)
    client.get("/desk/")  # the CSRF cookie, set as any first visit does
    return client


def test_a_second_load_comes_from_the_cache(desk, django_assert_num_queries):
    makers.make_enquiry(topic="Vaksinedoser til høsten")
    first = desk.get("/desk/")
    with django_assert_num_queries(1):  # the officer with their permission; nothing else
        second = desk.get("/desk/")
    assert second.content == first.content
    assert "Vaksinedoser til høsten" in second.content.decode()
    assert second["Cache-Control"].startswith("max-age=0")  # never cached by a browser


def test_every_committed_change_is_seen_on_the_next_load(desk, officer):
    enquiry = makers.make_enquiry(topic="Vaksinedoser til høsten")
    desk.get("/desk/")
    makers.make_enquiry(topic="Legemiddelmangel i apotekene")  # the ORM
    assert "Legemiddelmangel i apotekene" in desk.get("/desk/").content.decode()
    Enquiry.objects.filter(pk=enquiry.pk).update(topic="Endret med update()")  # .update()
    assert "Endret med update()" in desk.get("/desk/").content.decode()
    with connection.cursor() as cursor:  # raw SQL, as the purge writes
        cursor.execute("UPDATE enquiries_enquiry SET topic = 'Endret med SQL' WHERE id = %s",
                       [enquiry.pk])  # fmt: skip
    assert "Endret med SQL" in desk.get("/desk/").content.decode()
    handling.change_status(enquiry_id=enquiry.pk, status="in_progress", by=officer)
    assert "status-in_progress" in desk.get("/desk/").content.decode()


def test_an_erased_journalist_is_gone_from_the_next_load(desk):
    makers.make_enquiry(journalist=makers.make_journalist(first_name="Gunnhild"))
    assert "Gunnhild" in desk.get("/desk/").content.decode()
    privacy.erase_contact(email="ola.nordmann@vg.no", by=None, via="desk")
    assert "Gunnhild" not in desk.get("/desk/").content.decode()


def test_a_rolled_back_change_moves_nothing():
    desk_changes.bump()
    before = desk_changes.current()

    def write_then_fail() -> None:
        with transaction.atomic():
            makers.make_enquiry()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert desk_changes.current() == before
    with transaction.atomic():
        makers.make_enquiry()
        makers.make_enquiry()
        assert desk_changes.current() == before  # not before the commit
    assert desk_changes.current() != before


def test_each_officer_gets_their_own_page_and_messages_are_never_cached(
    desk, django_assert_max_num_queries
):
    desk.get("/desk/")
    desk.get("/desk/")  # cached for this officer now
    other = Client()
    other.force_login(makers.make_officer(username="kari"))
    other.get("/desk/")
    page = other.get("/desk/").content.decode()
    token = 'name="csrfmiddlewaretoken" value="'
    # Their forms carry tokens made from their own CSRF cookie, not the first officer's.
    theirs = page.split(token)[1].split('"')[0]
    mine = desk.get("/desk/").content.decode().split(token)[1].split('"')[0]
    assert theirs != mine
    enquiry = makers.make_enquiry()
    desk.get("/desk/")  # cached again
    desk.post(f"/desk/enquiries/{enquiry.pk}/assign/", {"me": "1"})
    assert "alert-success" in desk.get("/desk/").content.decode()  # the flash, once
    assert "alert-success" not in desk.get("/desk/").content.decode()


def test_the_cache_can_be_turned_off(desk, settings, django_assert_num_queries):
    settings.PRESSDESK_DESK_PAGE_CACHE_SECONDS = 0
    desk.get("/desk/")
    with django_assert_num_queries(3):  # the officer, the page, the counters
        desk.get("/desk/")


def test_every_table_the_first_page_reads_is_watched_for_changes(desk, settings):
    """A table the landing page reads but desk_changes does not watch would leave the cached
    page stale after a write to it: add it to desk_changes._SHOWN."""
    import re

    from django.test.utils import CaptureQueriesContext

    from enquiries.models import RightsRequest

    settings.PRESSDESK_DESK_PAGE_CACHE_SECONDS = 0  # render, so every read is seen
    late = makers.make_enquiry(kind="foi", journalist=makers.make_journalist())
    Enquiry.objects.filter(pk=late.pk).update(received_at=late.received_at.replace(year=2025))
    RightsRequest.objects.create(
        kind="access", channel="phone", received_at=late.received_at, due_date=late.received_at
    )
    with CaptureQueriesContext(connection) as queries:
        assert 'id="foi-alerts"' in desk.get("/desk/").content.decode()
    read = {
        table
        for query in queries.captured_queries
        for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"], re.IGNORECASE)
    }
    # Never changed by the app at run time (the migrations write them), or not on the page.
    static = {"auth_permission", "django_content_type", "django_session"}
    unwatched = {
        table
        for table in read - static
        if not desk_changes.changes_the_desk(f'UPDATE "{table}" SET x = 1')  # noqa: S608 (never run)
    }
    assert "enquiries_enquiry" in read
    assert unwatched == set()
