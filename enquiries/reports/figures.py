"""The figures of a report, read with the same number of queries whatever the period.

Counts are live enquiries joined with the anonymous monthly tallies the purge leaves behind
(a tally holds only purged enquiries, so nothing is counted twice), and an erasure changes no
count: an emptied enquiry keeps its date, channel, kind, category and outlet kind. Tallies are
kept by month: in a period that starts or ends mid-month, a purged month counts whole if its
first day is inside the period. Weeks, the weekday grid and the median answer times are live
data; the answer-time buckets and the deadline and closing shares include the tallies.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import median, quantiles
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, TruncDate

from enquiries.core.desk_settings import office_hours
from enquiries.core.working_time import foi_forward_due
from enquiries.models import (
    Enquiry,
    ErasureReceipt,
    FoiRouting,
    MonthlyTally,
    RightsRequest,
    Suppression,
)
from enquiries.models.catalogue import OutletKind
from enquiries.models.enquiry import Channel, Kind
from enquiries.models.privacy import RightsKind
from enquiries.models.retention import answer_outcomes
from enquiries.reports.periods import Period

BUSIEST_OUTLETS = 10


def _oslo() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = _oslo()
    return (
        datetime.combine(period.start, time.min, tzinfo=zone),
        datetime.combine(period.end, time.min, tzinfo=zone),
    )


@dataclass
class Counts:
    """Enquiries in a period by each dimension (live and tallied)."""

    total: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_outlet_kind: Counter[str] = field(default_factory=Counter)
    per_month: Counter[date] = field(default_factory=Counter)
    per_week: Counter[str] = field(default_factory=Counter)

    def add(self, *, n: int, channel: str, kind: str, category: str, outlet_kind: str) -> None:
        self.total += n
        self.by_channel[channel] += n
        self.by_kind[kind] += n
        self.by_category[category] += n
        self.by_outlet_kind[outlet_kind] += n


@dataclass(frozen=True)
class Durations:
    """Hours from receipt: median and 90th percentile, and how many there were."""

    count: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class Answering:
    first_reply: Durations
    answered: Durations
    buckets: list[int]  # answered within each of MonthlyTally.ANSWER_BUCKETS
    with_deadline: int
    before_deadline: int
    closed: int
    closed_unanswered: int


@dataclass(frozen=True)
class Foi:
    forwarded: int
    to_forwarding: Durations
    within_working_day: int


@dataclass(frozen=True)
class Privacy:
    opted_out: int
    standing_opt_outs: int
    erasures: int
    access_requests: int
    rights_requests: int
    rights_completed: int
    rights_within_month: int


@dataclass(frozen=True)
class Report:
    period: Period
    counts: Counts
    previous: Counts
    busiest_outlets: list[tuple[str, int]]
    answering: Answering
    grid: list[list[int]]  # [weekday 0 = Monday][hour]
    foi: Foi
    privacy: Privacy


def counts(period: Period) -> Counts:
    """Two queries: live enquiries by day and dimension, and the purged months' tallies."""
    start, end = _bounds(period)
    zone = _oslo()
    result = Counts()
    live = (
        Enquiry.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(
            day=TruncDate("received_at", tzinfo=zone),
            category=Coalesce(F("topic_category__name"), Value("")),
            outlet_type=Coalesce(F("outlet__kind"), F("outlet_kind"), Value("")),
        )
        .values("day", "channel", "kind", "category", "outlet_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in live:
        day = row["day"]
        result.add(
            n=row["n"],
            channel=row["channel"],
            kind=row["kind"],
            category=row["category"],
            outlet_kind=row["outlet_type"],
        )
        result.per_month[day.replace(day=1)] += row["n"]
        year, week, _weekday = day.isocalendar()
        result.per_week[f"{year}-W{week:02d}"] += row["n"]
    add_tallies(result, period)
    return result


def add_tallies(result: Counts, period: Period) -> None:
    """The purged months' anonymous tallies. One query."""
    tallied = MonthlyTally.objects.filter(month__gte=period.start, month__lt=period.end)
    for tally in tallied.only("month", "channel", "kind", "topic_category", "outlet_kind", "count"):
        result.add(
            n=tally.count,
            channel=tally.channel,
            kind=tally.kind,
            category=tally.topic_category,
            outlet_kind=tally.outlet_kind,
        )
        result.per_month[tally.month] += tally.count


def durations_of_bins(bins: Mapping[int, int]) -> Durations:
    """Median and 90th percentile from a histogram of tenths of an hour (the summary's bins),
    interpolated as `_durations` does over the values themselves."""
    total = sum(bins.values())
    if not total:
        return Durations(0, None, None)
    ordered = sorted(bins.items())

    def at(index: int) -> float:
        seen = 0
        for tenths, count in ordered:
            seen += count
            if index < seen:
                return tenths / 10
        return ordered[-1][0] / 10

    def quantile(q: float) -> float:
        position = q * (total - 1)
        low = int(position)
        fraction = position - low
        value = at(low)
        return value + fraction * (at(low + 1) - value) if fraction else value

    return Durations(total, round(quantile(0.5), 1), round(quantile(0.9), 1))


def _durations(hours: list[float]) -> Durations:
    if not hours:
        return Durations(0, None, None)
    p90 = quantiles(hours, n=10, method="inclusive")[8] if len(hours) > 1 else hours[0]
    return Durations(len(hours), round(median(hours), 1), round(p90, 1))


def _hours(later: datetime, earlier: datetime) -> float:
    return max(0.0, (later - earlier).total_seconds() / 3600)


def answering(period: Period) -> Answering:
    """Press enquiries received in the period: time to the first e-mail out of the thread and
    to "answered" (median and 90th percentile, live enquiries), and, live and purged alike,
    how many were answered within each bucket of hours, before the journalist's deadline, and
    closed without an answer. Three queries."""
    start, end = _bounds(period)
    live = Enquiry.objects.filter(received_at__gte=start, received_at__lt=end, kind=Kind.PRESS)
    rows = live.values_list("received_at", "first_reply_at", "answered_at")
    first, answered = [], []
    for received, first_reply, answered_at in rows:
        if first_reply is not None:
            first.append(_hours(first_reply, received))
        if answered_at is not None:
            answered.append(_hours(answered_at, received))
    return answering_from(
        first_reply=_durations(first),
        answered=_durations(answered),
        live_outcomes=live.aggregate(**answer_outcomes()),
        period=period,
    )


def answering_from(
    *,
    first_reply: Durations,
    answered: Durations,
    live_outcomes: Mapping[str, int],
    period: Period,
) -> Answering:
    """The answer times, with the live outcomes added to the purged months' tallies (one
    query)."""
    names = list(answer_outcomes())
    tallied = MonthlyTally.objects.filter(
        month__gte=period.start, month__lt=period.end, kind=Kind.PRESS
    ).aggregate(**{name: Sum(name, default=0) for name in names})
    total = {name: live_outcomes.get(name, 0) + tallied[name] for name in names}
    return Answering(
        first_reply=first_reply,
        answered=answered,
        buckets=[total[name] for name, _hours_upper in MonthlyTally.ANSWER_BUCKETS],
        with_deadline=total["with_deadline"],
        before_deadline=total["before_deadline"],
        closed=total["closed"],
        closed_unanswered=total["closed_unanswered"],
    )


def weekday_hour_grid(period: Period) -> list[list[int]]:
    """Enquiries by weekday (Monday first) and hour of receipt, Oslo time. One query."""
    start, end = _bounds(period)
    zone = _oslo()
    grid = [[0] * 24 for _ in range(7)]
    rows = (
        Enquiry.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(
            weekday=ExtractIsoWeekDay("received_at", tzinfo=zone),
            hour=ExtractHour("received_at", tzinfo=zone),
        )
        .values("weekday", "hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        grid[row["weekday"] - 1][row["hour"]] += row["n"]
    return grid


def busiest_outlets(period: Period) -> list[tuple[str, int]]:
    """Organisations, never people: outlets by the number of enquiries. One query."""
    start, end = _bounds(period)
    rows = (
        Enquiry.objects.filter(received_at__gte=start, received_at__lt=end, outlet__isnull=False)
        .values("outlet__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    return rank_outlets((row["outlet__name"], row["n"]) for row in rows)


def rank_outlets(counted: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The busiest first, ties by name; the top BUSIEST_OUTLETS."""
    return sorted(counted, key=lambda pair: (-pair[1], pair[0]))[:BUSIEST_OUTLETS]


def foi(period: Period) -> Foi:
    """FOI requests received in the period and forwarded: how long it took. One query."""
    start, end = _bounds(period)
    rows = FoiRouting.objects.filter(
        enquiry__received_at__gte=start,
        enquiry__received_at__lt=end,
        status=FoiRouting.Status.SENT,
    ).values_list("enquiry__received_at", "sent_at")
    hours, within = [], 0
    office = office_hours()
    for received, sent in rows:
        if sent is None:  # a sent routing has its time (a constraint); for the type checker
            continue
        hours.append(_hours(sent, received))
        within += sent <= foi_forward_due(received, office)
    return Foi(forwarded=len(hours), to_forwarding=_durations(hours), within_working_day=within)


def opted_out(period: Period) -> int:
    start, end = _bounds(period)
    return Enquiry.objects.filter(
        received_at__gte=start, received_at__lt=end, opted_out=True
    ).count()


def privacy(period: Period, *, opted_out: int) -> Privacy:
    """Standing opt-outs, erasures and rights requests in the period, beside the enquiries
    with an opt-out. Three queries."""
    start, end = _bounds(period)
    standing = Suppression.objects.filter(created_at__gte=start, created_at__lt=end).count()
    erasures = ErasureReceipt.objects.filter(at__gte=start, at__lt=end).count()
    requests = RightsRequest.objects.filter(received_at__gte=start, received_at__lt=end)
    access = total = completed = in_time = 0
    zone = _oslo()
    for kind, completed_at, due in requests.values_list("kind", "completed_at", "due_date"):
        total += 1
        access += kind == RightsKind.ACCESS
        if completed_at is not None:
            completed += 1
            in_time += completed_at.astimezone(zone).date() <= due  # the legal month
    return Privacy(
        opted_out=opted_out,
        standing_opt_outs=standing,
        erasures=erasures,
        access_requests=access,
        rights_requests=total,
        rights_completed=completed,
        rights_within_month=in_time,
    )


LABELS = {
    "channel": dict(Channel.choices),
    "kind": dict(Kind.choices),
    "outlet_kind": dict(OutletKind.choices),
}
