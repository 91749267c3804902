"""The holiday arithmetic: Norwegian working days, office hours and the GDPR month."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from enquiries.core.working_time import (
    OfficeHours,
    add_office_time,
    add_working_days,
    closed_day_name,
    foi_alert_since,
    foi_forward_due,
    gdpr_due_date,
    is_office_hours,
    is_working_day,
    office_time_between,
    subtract_office_time,
    time_left,
)

OSLO = ZoneInfo("Europe/Oslo")
HOURS = OfficeHours(opens=time(8, 0), closes=time(16, 0))


def oslo(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=OSLO)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 4, 2), "Skjærtorsdag"),
        (date(2026, 4, 3), "Langfredag"),
        (date(2026, 4, 6), "Andre påskedag"),
        (date(2026, 5, 1), "Arbeidernes dag"),
        (date(2026, 5, 14), "Kristi himmelfartsdag"),
        (date(2028, 5, 17), "Grunnlovsdag"),  # a Wednesday
        (date(2026, 5, 25), "Andre pinsedag"),
        (date(2026, 12, 24), "Julaften"),  # not statutory: the office is closed
        (date(2026, 12, 25), "Første juledag"),
        (date(2026, 12, 31), "Nyttårsaften"),
        (date(2027, 1, 1), "Første nyttårsdag"),
    ],
)
def test_a_holiday_on_a_weekday_is_no_working_day(day, name):
    assert day.weekday() < 5
    assert closed_day_name(day) == name
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 4, 1),  # the Wednesday before Easter
        date(2026, 4, 7),  # the Tuesday after
        date(2026, 5, 13),  # the day before Ascension
        date(2026, 5, 18),  # 17 May 2026 is a Sunday: no day off in lieu
        date(2026, 12, 23),
        date(2026, 12, 28),  # Monday between Christmas and New Year
    ],
)
def test_the_days_around_the_holidays_are_working_days(day):
    assert is_working_day(day)


def test_weekends_are_no_working_days():
    assert not is_working_day(date(2026, 3, 7))
    assert not is_working_day(date(2026, 3, 8))


def test_working_days_skip_easter():
    # Wednesday before Easter + 1 working day: Thursday to Monday are all closed.
    assert add_working_days(date(2026, 4, 1), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 3), 0) == date(2026, 4, 7)


def test_forwarding_is_due_one_working_day_after_receipt():
    assert foi_forward_due(oslo(2026, 3, 10, 10, 0), HOURS) == oslo(2026, 3, 11, 10, 0)


def test_a_request_after_hours_on_a_friday_is_due_at_closing_time_on_monday():
    received = oslo(2026, 3, 6, 17, 30)
    assert not is_office_hours(received, HOURS)
    assert foi_forward_due(received, HOURS) == oslo(2026, 3, 9, 16, 0)


def test_a_request_before_easter_is_due_after_it():
    # Wednesday 1 April 2026 at 14:00: two hours that day, six on Tuesday 7 April.
    assert foi_forward_due(oslo(2026, 4, 1, 14, 0), HOURS) == oslo(2026, 4, 7, 14, 0)


def test_a_request_the_day_before_ascension_is_due_on_friday():
    assert foi_forward_due(oslo(2026, 5, 13, 12, 0), HOURS) == oslo(2026, 5, 15, 12, 0)


def test_17_may_on_a_weekday_is_skipped():
    assert foi_forward_due(oslo(2028, 5, 16, 9, 0), HOURS) == oslo(2028, 5, 18, 9, 0)


def test_whit_monday_is_skipped():
    # Friday 22 May 2026 at 15:00: one hour, then the weekend and Whit Monday.
    assert foi_forward_due(oslo(2026, 5, 22, 15, 0), HOURS) == oslo(2026, 5, 26, 15, 0)


def test_the_weekend_around_christmas_is_skipped():
    # Wednesday 23 December 2026 at 15:00: Christmas Eve (Thursday), Christmas (Friday),
    # Boxing Day and Sunday pass before Monday 28 December.
    assert foi_forward_due(oslo(2026, 12, 23, 15, 0), HOURS) == oslo(2026, 12, 28, 15, 0)
    # … and New Year's Eve and Day before Monday 4 January 2027.
    assert foi_forward_due(oslo(2026, 12, 30, 12, 0), HOURS) == oslo(2027, 1, 4, 12, 0)


def test_office_time_is_true_across_the_daylight_saving_change():
    # The clocks go forward on Sunday 29 March 2026; office time knows no wall clock.
    start, end = oslo(2026, 3, 27, 15, 0), oslo(2026, 3, 30, 9, 0)
    assert office_time_between(start, end, HOURS) == timedelta(hours=2)
    assert add_office_time(start, timedelta(hours=2), HOURS) == end
    assert subtract_office_time(end, timedelta(hours=2), HOURS) == start


def test_the_alert_threshold_steps_back_over_the_weekend():
    # Monday 08:30 with an hour's alert: half an hour Monday, half an hour on Friday.
    since = foi_alert_since(oslo(2026, 3, 9, 8, 30), HOURS)
    assert since == oslo(2026, 3, 6, 15, 30)
    # A request from Saturday has waited no office time at all on Monday 08:30.
    assert office_time_between(oslo(2026, 3, 7, 12, 0), oslo(2026, 3, 9, 8, 30), HOURS) == (
        timedelta(minutes=30)
    )


def test_the_alert_never_comes_after_the_due_time(settings):
    settings.PRESSDESK_FOI_ALERT_MINUTES = 24 * 60
    received = oslo(2026, 3, 10, 10, 0)
    due = foi_forward_due(received, HOURS)
    # The alert shows once `received` is older than foi_alert_since(now): before `due`.
    just_before_due = due - timedelta(minutes=1)
    assert received < foi_alert_since(just_before_due, HOURS)


def test_office_hours_come_from_the_arguments():
    short = OfficeHours(opens=time(9, 0), closes=time(15, 0))
    assert foi_forward_due(oslo(2026, 3, 10, 14, 0), short) == oslo(2026, 3, 11, 14, 0)
    assert is_office_hours(oslo(2026, 3, 10, 8, 30), HOURS)
    assert not is_office_hours(oslo(2026, 3, 10, 8, 30), short)
    assert not is_office_hours(oslo(2026, 3, 10, 16, 0), HOURS)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (oslo(2026, 1, 31, 12, 0), date(2026, 2, 28)),
        (oslo(2028, 1, 31, 12, 0), date(2028, 2, 29)),
        (oslo(2026, 12, 24, 12, 0), date(2027, 1, 24)),  # calendar months: holidays count
        (datetime(2026, 3, 31, 22, 30, tzinfo=ZoneInfo("UTC")), date(2026, 5, 1)),  # 1 April
    ],
)
def test_a_rights_request_is_due_one_calendar_month_after_receipt(received, due):
    assert gdpr_due_date(received) == due


def test_time_left_is_wall_clock():
    now = oslo(2026, 3, 6, 17, 0)
    assert time_left(oslo(2026, 3, 7, 9, 0), now) == timedelta(hours=16)
    assert time_left(oslo(2026, 3, 6, 16, 0), now) == -timedelta(hours=1)
