"""The figures that scale with the log, read from the daily summary on PostgreSQL.

`ReportDay` holds, per Oslo day, how many enquiries have each value of each dimension; the
database keeps it (migration 0027's triggers), so a year's figures read a few thousand rows
whatever the size of the log. Each function returns what its live twin in `figures` returns
for the same period (tests/views/test_report_summary.py checks they agree after every kind
of change); the laptop default (SQLite) uses the live ones.
"""

from collections import Counter
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractIsoWeekDay

from enquiries.models import Enquiry, Outlet, ReportDay, TopicCategory
from enquiries.reports.figures import (
    BUSIEST_OUTLETS,
    Answering,
    Counts,
    add_tallies,
    answering_from,
    durations_of_bins,
    rank_outlets,
)
from enquiries.reports.periods import Period

COUNTED = ("channel", "kind", "category", "outlet_kind")
ANSWERS = ("answered", "outcome", "answered_bin", "reply_bin")


def _in(period: Period) -> QuerySet[ReportDay]:
    return ReportDay.objects.filter(day__gte=period.start, day__lt=period.end)


def _sums(period: Period, dimensions: tuple[str, ...]) -> dict[str, Counter[str]]:
    """{dimension: {value: count}} over the period. One query."""
    found: dict[str, Counter[str]] = {dimension: Counter() for dimension in dimensions}
    rows = (
        _in(period)
        .filter(dimension__in=dimensions)
        .values("dimension", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in rows:
        if row["n"]:
            found[row["dimension"]][row["value"]] += row["n"]
    return found


def counts(period: Period) -> Counts:
    """Four queries: the dimensions, the day totals, category names, the tallies."""
    result = Counts()
    sums = _sums(period, COUNTED)
    names = dict(TopicCategory.objects.values_list("id", "name"))
    result.total = sum(sums["kind"].values())
    result.by_channel.update(sums["channel"])
    result.by_kind.update(sums["kind"])
    result.by_outlet_kind.update(sums["outlet_kind"])
    for value, n in sums["category"].items():
        result.by_category[names.get(int(value), "") if value else ""] += n
    days = _in(period).filter(dimension="kind").values("day").annotate(n=Sum("count")).order_by()
    for row in days:
        if row["n"]:
            day = row["day"]
            result.per_month[day.replace(day=1)] += row["n"]
            year, week, _weekday = day.isocalendar()
            result.per_week[f"{year}-W{week:02d}"] += row["n"]
    add_tallies(result, period)
    return result


def answering(period: Period) -> Answering:
    """Two queries: the answer facts of the period, and the tallies."""
    sums = _sums(period, ANSWERS)
    return answering_from(
        first_reply=durations_of_bins({int(v): n for v, n in sums["reply_bin"].items()}),
        answered=durations_of_bins({int(v): n for v, n in sums["answered_bin"].items()}),
        live_outcomes={**sums["answered"], **sums["outcome"]},
        period=period,
    )


def weekday_hour_grid(period: Period) -> list[list[int]]:
    """One query: the hour of receipt by weekday (Monday first)."""
    grid = [[0] * 24 for _ in range(7)]
    rows = (
        _in(period)
        .filter(dimension="hour")
        .annotate(weekday=ExtractIsoWeekDay("day"))
        .values("weekday", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in rows:
        grid[row["weekday"] - 1][int(row["value"])] += row["n"] or 0
    return grid


def busiest_outlets(period: Period) -> list[tuple[str, int]]:
    """Whole months from the summary's monthly outlet counts, and the days of a custom range
    outside whole months (at most two part-months) from the enquiries. Three queries."""
    first_whole = period.start.replace(day=1)
    if first_whole < period.start:
        first_whole += relativedelta(months=1)
    end_whole = max(period.end.replace(day=1), first_whole)
    counted: Counter[int] = Counter()
    months = (
        ReportDay.objects.filter(dimension="outlet", day__gte=first_whole, day__lt=end_whole)
        .values("value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for month in months:
        counted[int(month["value"])] += month["n"] or 0
    zone = ZoneInfo(settings.TIME_ZONE)

    def received_between(start: date, end: date) -> Q:
        return Q(
            received_at__gte=datetime.combine(start, time.min, tzinfo=zone),
            received_at__lt=datetime.combine(end, time.min, tzinfo=zone),
        )

    edges = received_between(period.start, min(first_whole, period.end)) | received_between(
        max(end_whole, period.start), period.end
    )
    rows = (
        Enquiry.objects.filter(edges, outlet__isnull=False).values("outlet").annotate(n=Count("id"))
    )
    for row in rows.order_by():
        counted[row["outlet"]] += row["n"]
    # Names only for the outlets that can make the list: the top counts, ties included.
    top = sorted((n for n in counted.values() if n), reverse=True)[:BUSIEST_OUTLETS]
    candidates = [pk for pk, n in counted.items() if top and n >= top[-1]]
    names = dict(Outlet.objects.filter(pk__in=candidates).values_list("pk", "name"))
    return rank_outlets((names[pk], counted[pk]) for pk in candidates if pk in names)


def opted_out(period: Period) -> int:
    return sum(_sums(period, ("opted_out",))["opted_out"].values())
