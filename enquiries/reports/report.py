"""A report over a period: the figures that scale with the log from the daily summary where
the database keeps one (PostgreSQL), from the enquiries themselves elsewhere (SQLite, a
laptop's few thousand); the rest from their own small tables."""

from django.db import connection

from enquiries.reports import daily, figures
from enquiries.reports.figures import Report
from enquiries.reports.periods import Period


def build(period: Period, *, summary: bool | None = None) -> Report:
    """`summary=False` reads the enquiries even on PostgreSQL (the tests compare the two)."""
    if summary is None:
        summary = connection.vendor == "postgresql"
    if summary:
        counts, answering, outlets = daily.counts, daily.answering, daily.busiest_outlets
        grid, opted_out = daily.weekday_hour_grid, daily.opted_out
    else:
        counts, answering, outlets = figures.counts, figures.answering, figures.busiest_outlets
        grid, opted_out = figures.weekday_hour_grid, figures.opted_out
    return Report(
        period=period,
        counts=counts(period),
        previous=counts(period.previous()),
        busiest_outlets=outlets(period),
        answering=answering(period),
        grid=grid(period),
        foi=figures.foi(period),
        privacy=figures.privacy(period, opted_out=opted_out(period)),
    )
