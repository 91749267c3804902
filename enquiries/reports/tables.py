"""A report as named tables: what the page shows (each with its chart) and the CSV exports."""

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from enquiries.reports.figures import LABELS, Durations, Report

BAR_HEIGHT = 30
NOTHING = "\N{EN DASH}"  # a figure that cannot be had (no enquiries to measure)


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    header: list[str]
    rows: list[list[object]]
    chart: bool = True  # the last column is a count, drawn as bars

    def bars(self) -> list[dict[str, object]]:
        """Each row's bar for the SVG chart: its label, count, width (of 600 for the largest)
        and position; drawn with SVG attributes, as the CSP allows no style."""
        counts = [row[-1] if isinstance(row[-1], int) else 0 for row in self.rows]
        top = max(counts, default=0) or 1
        return [
            {
                "label": str(row[0]),
                "count": count,
                "width": max(1, round(600 * count / top)) if count else 0,
                "y": BAR_HEIGHT * index,
                "text_y": BAR_HEIGHT * index + BAR_HEIGHT - 9,
            }
            for index, (row, count) in enumerate(zip(self.rows, counts, strict=True))
        ]

    @property
    def chart_height(self) -> int:
        return BAR_HEIGHT * max(1, len(self.rows))


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else NOTHING


def _hours(value: float | None) -> str:
    return NOTHING if value is None else formats.number_format(value, 1)


def _dimension(report: Report, attribute: str, labelled: str = "") -> list[list[object]]:
    labels = LABELS.get(labelled, {})
    now = getattr(report.counts, attribute)
    before = getattr(report.previous, attribute)
    keys = sorted(set(now) | set(before), key=lambda key: (-now[key], str(key)))
    return [[labels.get(key, key) or _("(none)"), before[key], now[key]] for key in keys]


def _durations_row(label: str, durations: Durations) -> list[object]:
    return [label, durations.count, _hours(durations.median_hours), _hours(durations.p90_hours)]


def tables(report: Report) -> dict[str, Table]:
    period = _("this period")
    previous = _("previous period")
    by = [_("value"), previous, period]
    found = [
        Table(
            "channel",
            _("Enquiries by channel"),
            by,
            _dimension(report, "by_channel", "channel"),
        ),
        Table("kind", _("Enquiries by kind"), by, _dimension(report, "by_kind", "kind")),
        Table("category", _("Enquiries by topic category"), by, _dimension(report, "by_category")),
        Table(
            "outlet_kind",
            _("Enquiries by kind of outlet"),
            by,
            _dimension(report, "by_outlet_kind", "outlet_kind"),
        ),
        Table(
            "month",
            _("Enquiries per month"),
            [_("month"), _("enquiries")],
            [
                [formats.date_format(month, "YEAR_MONTH_FORMAT"), n]
                for month, n in sorted(report.counts.per_month.items())
            ],
        ),
        Table(
            "week",
            _("Enquiries per week"),
            [_("week"), _("enquiries")],
            [[week, n] for week, n in sorted(report.counts.per_week.items())],
        ),
        Table(
            "outlets",
            _("Busiest outlets"),
            [_("outlet"), _("enquiries")],
            [[name, n] for name, n in report.busiest_outlets],
        ),
    ]
    answering = report.answering
    found.append(
        Table(
            "answering",
            _("How fast press enquiries were answered (hours from receipt)"),
            [_("measure"), _("enquiries"), _("median"), _("90th percentile")],
            [
                _durations_row(_("first reply in the thread"), answering.first_reply),
                _durations_row(_("marked answered"), answering.answered),
                [
                    _("answered before the journalist's deadline"),
                    answering.with_deadline,
                    _share(answering.before_deadline, answering.with_deadline),
                    "",
                ],
                [
                    _("closed without an answer"),
                    answering.closed,
                    _share(answering.closed_unanswered, answering.closed),
                    "",
                ],
            ],
            chart=False,
        )
    )
    bucket_labels = [
        _("within 1 hour"),
        _("1 to 4 hours"),
        _("4 to 24 hours"),
        _("1 to 3 days"),
        _("more than 3 days"),
    ]
    found.append(
        Table(
            "answer_time",
            _("Time from receipt to answered (press enquiries)"),
            [_("answered"), _("enquiries")],
            [list(pair) for pair in zip(bucket_labels, answering.buckets, strict=True)],
        )
    )
    foi = report.foi
    found.append(
        Table(
            "foi",
            _("Requests for access forwarded to the post registry"),
            [_("measure"), _("value")],
            [
                [_("forwarded"), foi.forwarded],
                [_("median hours to forwarding"), _hours(foi.to_forwarding.median_hours)],
                [_("within one working day"), _share(foi.within_working_day, foi.forwarded)],
            ],
            chart=False,
        )
    )
    privacy = report.privacy
    found.append(
        Table(
            "privacy",
            _("Privacy"),
            [_("measure"), _("value")],
            [
                [_("enquiries with an opt-out"), privacy.opted_out],
                [_("standing opt-outs registered"), privacy.standing_opt_outs],
                [_("erasures"), privacy.erasures],
                [_("access requests"), privacy.access_requests],
                [_("rights requests"), privacy.rights_requests],
                [
                    _("rights requests completed within the legal month"),
                    _share(privacy.rights_within_month, privacy.rights_completed),
                ],
            ],
            chart=False,
        )
    )
    weekdays = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    found.append(
        Table(
            "weekday_hour",
            _("When enquiries come: weekday and hour"),
            [_("weekday"), *[f"{hour:02d}" for hour in range(24)]],
            [[day, *hours] for day, hours in zip(weekdays, report.grid, strict=True)],
            chart=False,
        )
    )
    return {table.slug: table for table in found}
