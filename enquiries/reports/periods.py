"""The periods a report covers, in Europe/Oslo calendar days; the end is exclusive."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

CHOICES = [
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("this_quarter", _("This quarter")),
    ("this_year", _("This year")),
    ("last_year", _("Last year")),
    ("custom", _("Custom range")),
]


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the first day after the period

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def previous(self) -> "Period":
        """The period just before, of the same calendar shape (month, quarter, year) or, for
        a custom range, of the same number of days."""
        months = _whole_months(self)
        if months:
            return Period(self.start - relativedelta(months=months), self.start)
        return Period(self.start - (self.end - self.start), self.start)


def _whole_months(period: Period) -> int:
    if period.start.day != 1 or period.end.day != 1:
        return 0
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month


def resolve(
    *, choice: str, today: date, start: date | None = None, end: date | None = None
) -> Period:
    """The period a picker choice means on `today`; a custom range includes its last day."""
    month = today.replace(day=1)
    if choice == "last_month":
        return Period(month - relativedelta(months=1), month)
    if choice == "this_quarter":
        first = month.replace(month=3 * ((today.month - 1) // 3) + 1)
        return Period(first, first + relativedelta(months=3))
    if choice == "this_year":
        return Period(date(today.year, 1, 1), date(today.year + 1, 1, 1))
    if choice == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year, 1, 1))
    if choice == "custom" and start and end and start <= end:
        return Period(start, end + timedelta(days=1))
    return Period(month, month + relativedelta(months=1))
