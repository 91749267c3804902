"""The daily summary PostgreSQL keeps for the reports (migration 0027) says what the live
queries say, after every kind of change the log sees: new enquiries, replies, status changes,
reclassification, edits, an outlet changing kind, a category deleted, a message deleted, bulk
updates, an opt-out, an erasure, the purge, and a rebuild from scratch."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from enquiries.handling import contacts
from enquiries.handling import enquiries as handling
from enquiries.models import Enquiry, Message, ReportDay, TopicCategory
from enquiries.privacy.erasure import erase_contact
from enquiries.reports import report as reports
from enquiries.reports.periods import Period
from enquiries.retention.purge import purge_expired
from tests import makers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OSLO = ZoneInfo("Europe/Oslo")
YEAR_2026 = Period(date(2026, 1, 1), date(2027, 1, 1))
YEAR_2023 = Period(date(2023, 1, 1), date(2024, 1, 1))
MID_MONTHS = Period(date(2026, 2, 15), date(2026, 9, 10))  # part-months at both ends
INSIDE_A_MONTH = Period(date(2026, 3, 2), date(2026, 3, 20))


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def _agree(period: Period) -> None:
    summary = reports.build(period, summary=True)
    live = reports.build(period, summary=False)
    assert summary == live
    assert summary.counts.total or period == YEAR_2023
    if period == YEAR_2026:
        for part in (MID_MONTHS, INSIDE_A_MONTH):
            assert reports.build(part, summary=True) == reports.build(part, summary=False)


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the summary is kept by PostgreSQL triggers")


def test_the_summary_agrees_with_the_enquiries_through_every_change(officer) -> None:  # type: ignore[no-untyped-def]
    beredskap = TopicCategory.objects.create(name="Beredskap")
    vaksine = TopicCategory.objects.create(name="Vaksine")
    vg = makers.make_outlet(name="VG")
    nrk = contacts.find_or_create_outlet(name="NRK", kind="broadcaster")
    kari = makers.make_journalist(
        first_name="Kari", last_name="Hansen", email="kari@nrk.no", mobile="+4741000001", outlet=nrk
    )
    made = []
    with time_machine.travel(at(11, 30, 12), tick=False):
        for i in range(12):
            made.append(
                makers.make_enquiry(
                    received_at=at(1 + i % 11, 1 + i, 7 + i),
                    channel=["phone", "email", "web_form", "social"][i % 4],
                    kind="foi" if i == 5 else "press",
                    outlet=[vg, nrk, None][i % 3],
                    topic_category=[beredskap, vaksine, None][i % 3],
                    journalist=kari if i % 4 == 1 else None,
                    deadline=at(1 + i % 11, 1 + i, 7 + i) + timedelta(hours=3) if i % 2 else None,
                )
            )
        for year in (2022, 2023):  # old enough for the purge, one of them
            makers.make_enquiry(received_at=at(5, 2, 10, year=year), outlet=vg)
    _agree(YEAR_2026)

    # Replies on six-minute marks (the summary's bins are tenths of an hour), answers, closes.
    for i, enquiry in enumerate(made[:8]):
        handling.add_message(
            enquiry_id=enquiry.pk,
            by=officer,
            direction="out",
            body="Svar",
            sent_at=enquiry.received_at + timedelta(minutes=6 * (i + 1) + 60 * i),
        )
        with time_machine.travel(enquiry.received_at + timedelta(hours=2 + 13 * i), tick=False):
            handling.change_status(
                enquiry_id=enquiry.pk, status="answered" if i % 3 else "closed", by=officer
            )
    handling.add_message(  # an earlier reply, logged afterwards: the first reply moves
        enquiry_id=made[7].pk,
        by=officer,
        direction="out",
        body="Første svar",
        sent_at=made[7].received_at + timedelta(minutes=30),
    )
    _agree(YEAR_2026)

    handling.update_enquiry(enquiry_id=made[2].pk, by=officer, topic_category=vaksine)
    handling.update_enquiry(enquiry_id=made[3].pk, by=officer, channel="email")
    Enquiry.objects.filter(pk=made[4].pk).update(kind="foi")  # a bulk update, as a command might
    _agree(YEAR_2026)

    nrk.kind = "online"  # an outlet changes kind: its enquiries move with it
    nrk.save()
    _agree(YEAR_2026)
    beredskap.delete()  # its enquiries lose their category
    Message.objects.filter(enquiry=made[0]).delete()  # the first reply goes with its message
    _agree(YEAR_2026)

    Enquiry.objects.filter(pk=made[9].pk).update(opted_out=True)
    erase_contact(by=None, via="desk", email="kari@nrk.no")
    _agree(YEAR_2026)

    with time_machine.travel(at(12, 1, 12), tick=False):
        assert purge_expired().counts["enquiries"] >= 1
    _agree(YEAR_2026)
    _agree(YEAR_2023)

    kept = sorted(
        ReportDay.objects.exclude(count=0).values_list("dimension", "day", "value", "count")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pressdesk_report_rebuild()")
    assert sorted(ReportDay.objects.values_list("dimension", "day", "value", "count")) == kept
