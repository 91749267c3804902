"""/desk/journalists/: everyone by name a keyset page at a time, a search by POST, and one
audit event per journalist shown."""

import pytest

from enquiries.models import AuditAction, AuditEvent, Journalist
from enquiries.queue.directory import DIRECTORY_PAGE_SIZE
from tests import makers

pytestmark = pytest.mark.django_db


def _people(count: int) -> list[Journalist]:
    """`count` contacts whose last names sort in the order made (Aas000, Aas001, …)."""
    return [
        Journalist.objects.create(first_name="Kari", last_name=f"Aas{i:03}", email=None)
        for i in range(count)
    ]


def test_the_directory_lists_everyone_by_last_name(officer_client):
    vg = makers.make_outlet(name="VG")
    ola = makers.make_journalist(outlet=vg)
    kari = makers.make_journalist(first_name="Kari", last_name="Berg", email="kari@nrk.no")
    anne = makers.make_journalist(first_name="Anne", last_name="Berg", email=None, mobile="")
    response = officer_client.get("/desk/journalists/")
    assert response.status_code == 200
    assert [j.pk for j in response.context["page"].rows] == [anne.pk, kari.pk, ola.pk]
    html = response.content.decode()
    for text in ["Nordmann, Ola", "ola.nordmann@vg.no", "40 03 34 31", "VG", "Berg, Kari"]:
        assert text in html
    assert f'href="/desk/journalists/{ola.pk}/"' in html


def test_the_directory_pages_by_id_cursor_with_no_name_in_the_url(officer_client):
    made = _people(DIRECTORY_PAGE_SIZE + 5)
    first = officer_client.get("/desk/journalists/")
    page = first.context["page"]
    assert [j.pk for j in page.rows] == [j.pk for j in made[:DIRECTORY_PAGE_SIZE]]
    assert page.next_after == made[DIRECTORY_PAGE_SIZE - 1].pk
    assert f'href="?after={page.next_after}"' in first.content.decode()
    rest = officer_client.get(f"/desk/journalists/?after={page.next_after}")
    assert [j.pk for j in rest.context["page"].rows] == [j.pk for j in made[DIRECTORY_PAGE_SIZE:]]
    assert rest.context["page"].next_after is None


def test_ties_on_the_name_are_paged_by_id_without_loss_or_repeat(officer_client):
    same = [
        Journalist.objects.create(first_name="Ola", last_name="Hansen", email=None)
        for _ in range(DIRECTORY_PAGE_SIZE + 3)
    ]
    first = officer_client.get("/desk/journalists/").context["page"]
    rest = officer_client.get(f"/desk/journalists/?after={first.next_after}").context["page"]
    assert [j.pk for j in first.rows + rest.rows] == [j.pk for j in same]


@pytest.mark.parametrize("after", ["abc", "-1", "0", "99999999999999999999", "999999"])
def test_a_bad_or_stale_cursor_starts_from_the_top(officer_client, after):
    ola = makers.make_journalist()
    response = officer_client.get(f"/desk/journalists/?after={after}")
    assert response.status_code == 200
    assert [j.pk for j in response.context["page"].rows] == [ola.pk]


def test_search_by_part_of_a_name_an_address_a_number_or_an_outlet(officer_client):
    nrk = makers.make_outlet(name="NRK", kind="broadcaster")
    ola = makers.make_journalist()
    kari = makers.make_journalist(
        first_name="Kari", last_name="Holm", email="kari.holm@khrono.no", mobile="", outlet=nrk
    )
    for text, expected in [
        ("nordm", [ola]),
        ("khrono", [kari]),
        ("400 33", [ola]),
        ("NRK", [kari]),
    ]:
        response = officer_client.post("/desk/journalists/", {"q": text})
        assert response.status_code == 200, text
        assert response.context["page"].rows == expected, text


def test_a_search_result_pages_by_post_so_the_text_stays_out_of_urls(officer_client):
    made = [
        Journalist.objects.create(first_name="Kari", last_name=f"Nordmo{i:03}", email=None)
        for i in range(DIRECTORY_PAGE_SIZE + 2)
    ]
    Journalist.objects.create(first_name="Per", last_name="Aas", email=None)
    first = officer_client.post("/desk/journalists/", {"q": "nordmo"})
    page = first.context["page"]
    html = first.content.decode()
    assert "?after=" not in html  # the next page is a POST carrying the search
    assert f'name="after" value="{page.next_after}"' in html
    rest = officer_client.post("/desk/journalists/", {"q": "nordmo", "after": page.next_after})
    rows = page.rows + rest.context["page"].rows
    assert [j.pk for j in rows] == [j.pk for j in made]


@pytest.mark.parametrize("text", ["", "n", "x" * 201, "nord\x00m"])
def test_a_bad_search_is_a_field_error(officer_client, text):
    makers.make_journalist()
    response = officer_client.post("/desk/journalists/", {"q": text})
    assert response.status_code == 400
    assert "q" in response.context["form"].errors
    html = response.content.decode()
    assert 'aria-invalid="true"' in html


def test_every_journalist_shown_is_audited_by_id(officer_client, officer):
    shown = [makers.make_journalist(email=None, last_name=name) for name in ("Aas", "Berg")]
    officer_client.get("/desk/journalists/")
    events = AuditEvent.objects.filter(action=AuditAction.JOURNALIST_LISTED)
    listed = events.get()
    assert sorted(listed.journalist_ids) == [j.pk for j in shown]  # one event, ids only
    assert (listed.actor_id, listed.detail) == (officer.pk, {})
    officer_client.post("/desk/journalists/", {"q": "berg"})
    assert [e.journalist_ids for e in events.order_by("pk")][1] == [shown[1].pk]


@pytest.mark.redis  # the production stack's count: the session comes from Redis (cached_db)
@pytest.mark.parametrize("rows", [3, 30])
def test_the_directory_query_count_is_flat(
    officer_client, django_assert_num_queries, stopped_clock, rows
):
    _people(rows)
    officer_client.get("/desk/journalists/")  # warms the session
    # the officer with the permission, the page with outlets joined, the audit (one INSERT)
    with django_assert_num_queries(3):
        officer_client.get("/desk/journalists/")
