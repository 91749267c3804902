"""Clocks in Norwegian working days and office hours (DESIGN rule 13), and the GDPR month.

Every deadline the desk computes comes from here: FOI forwarding (one working day of office
time from receipt), the desk's FOI alert (office time waited), the legal date of a rights
request (one calendar month, GDPR art. 12(3)) and the time left to a journalist's own
deadline (wall clock: theirs is a newsroom's clock, not ours).

Office time is counted in Europe/Oslo between the desk's opening and closing times on working
days: not Saturdays, Sundays, the statutory public holidays (the `holidays` library) or the
days the office is closed besides (Christmas Eve, New Year's Eve). Arithmetic is done on UTC
instants so that the daylight-saving change never adds or loses an hour.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from holidays.countries import Norway

# Beyond a year of walking there is no office time left to find: a guard, not a rule.
_MAX_DAYS = 400


def _office_calendar(year: int) -> dict[date, str]:
    """Norway's statutory public holidays (the `holidays` library's public API), plus the
    days a Norwegian public office is closed by custom and agreement although they are not in
    the law."""
    closed: dict[date, str] = dict(Norway(years=year, language="no").items())
    closed[date(year, 12, 24)] = "Julaften"
    closed[date(year, 12, 31)] = "Nyttårsaften"
    return closed


@dataclass(frozen=True)
class OfficeHours:
    opens: time
    closes: time

    @property
    def day_length(self) -> timedelta:
        return datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=32)
def _closed_days(year: int) -> frozenset[date]:
    return frozenset(_office_calendar(year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def closed_day_name(day: date) -> str:
    """The name of the holiday on `day`, or '' (a weekend or a working day)."""
    return _office_calendar(day.year).get(day, "")


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (0: `day` itself if it is one, else the next)."""
    if count == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    for _i in range(count):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return day


def _office_day(day: date, hours: OfficeHours) -> tuple[datetime, datetime]:
    zone = _zone()
    return (
        datetime.combine(day, hours.opens, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, hours.closes, tzinfo=zone).astimezone(UTC),
    )


def _office_days(start: date, step: int, hours: OfficeHours) -> Iterator[tuple[datetime, datetime]]:
    day = start
    for _i in range(_MAX_DAYS):
        if is_working_day(day):
            yield _office_day(day, hours)
        day += timedelta(days=step)
    msg = "no office time within a year: check the office hours"
    raise ValueError(msg)


def is_office_hours(moment: datetime, hours: OfficeHours) -> bool:
    local = moment.astimezone(_zone())
    return is_working_day(local.date()) and hours.opens <= local.time() < hours.closes


def add_office_time(start: datetime, amount: timedelta, hours: OfficeHours) -> datetime:
    """The instant when `amount` of office time has passed since `start` (a start outside
    office hours begins counting at the next opening)."""
    remaining, cursor = amount, start.astimezone(UTC)
    for opens, closes in _office_days(start.astimezone(_zone()).date(), 1, hours):
        begin = max(cursor, opens)
        if begin < closes:
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
    raise AssertionError  # _office_days raises first; for the type checker


def subtract_office_time(end: datetime, amount: timedelta, hours: OfficeHours) -> datetime:
    """The latest instant from which `amount` of office time has passed by `end`."""
    remaining, cursor = amount, end.astimezone(UTC)
    for opens, closes in _office_days(end.astimezone(_zone()).date(), -1, hours):
        finish = min(cursor, closes)
        if finish > opens:
            if remaining <= finish - opens:
                return finish - remaining
            remaining -= finish - opens
    raise AssertionError  # _office_days raises first; for the type checker


def office_time_between(start: datetime, end: datetime, hours: OfficeHours) -> timedelta:
    """Office time from `start` to `end` (negative when `end` comes first)."""
    if end < start:
        return -office_time_between(end, start, hours)
    total = timedelta(0)
    day, last = start.astimezone(_zone()).date(), end.astimezone(_zone()).date()
    while day <= last:
        if is_working_day(day):
            opens, closes = _office_day(day, hours)
            overlap = min(closes, end) - max(opens, start)
            total += max(overlap, timedelta(0))
        day += timedelta(days=1)
    return total


def foi_forward_due(received_at: datetime, hours: OfficeHours) -> datetime:
    """A request for access is forwarded within one working day of office time from its
    receipt: received Tuesday 10:00, due Wednesday 10:00; received after hours on a Friday,
    due at closing time on the next working day."""
    return add_office_time(received_at, hours.day_length, hours)


def foi_alert_lead(hours: OfficeHours) -> timedelta:
    """Office time a request may wait before the desk is alerted: PRESSDESK_FOI_ALERT_MINUTES,
    never so long that the alert would come after the request is due."""
    wait = timedelta(minutes=settings.PRESSDESK_FOI_ALERT_MINUTES)
    return min(wait, hours.day_length / 2)


def foi_alert_since(now: datetime, hours: OfficeHours) -> datetime:
    """Requests received before this instant have waited the alert's office time by `now`."""
    return subtract_office_time(now, foi_alert_lead(hours), hours)


def gdpr_due_date(received_at: datetime) -> date:
    """GDPR art. 12(3): one calendar month from receipt (31 January → 28/29 February);
    the regulation counts no working days, so neither do we."""
    return received_at.astimezone(_zone()).date() + relativedelta(months=1)


def time_left(deadline: datetime, now: datetime) -> timedelta:
    """Wall-clock time to a journalist's own deadline (negative once it has passed)."""
    return deadline - now
