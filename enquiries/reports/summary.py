"""The monthly summary: last month's report as plain text, mailed through the outbox to the
addresses administrators set in desk settings. Figures only, never a person (the tables hold
counts, times and organisations)."""

from datetime import date
from hashlib import sha256

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from enquiries.core.desk_settings import desk_settings
from enquiries.mail import outbox
from enquiries.models import OutboundEmail
from enquiries.reports import figures, report
from enquiries.reports.periods import Period
from enquiries.reports.tables import tables

KIND = "monthly_summary"


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    return Period(first, first + relativedelta(months=1))


def month_before(today: date) -> Period:
    return month_of(today.replace(day=1) - relativedelta(months=1))


# Too wide for a mail (24 columns): the page and its CSV have it.
NOT_MAILED = {"weekday_hour"}


def _text(report: figures.Report) -> tuple[str, str]:
    blocks = [
        (
            table.title,
            [" | ".join(table.header)]
            + [" | ".join(str(cell) for cell in row) for row in table.rows],
        )
        for table in tables(report).values()
        if table.slug not in NOT_MAILED
    ]
    context = {"report": report, "tables": blocks}
    subject = render_to_string("enquiries/emails/monthly_summary_subject.txt", context)
    return " ".join(subject.split()), render_to_string(
        "enquiries/emails/monthly_summary_body.txt", context
    )


@transaction.atomic
def queue_monthly_summary(*, month: Period) -> int:
    """Queue the summary of `month` to each address in desk settings; returns how many were
    queued. Once per address and month: a second run (a retried task, the command run by hand
    after beat did it) queues nothing."""
    addresses = desk_settings().report_addresses
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _text(report.build(month))
    queued = 0
    for address in addresses:
        # The key names the month and a hash of the address, not the address itself.
        digest = sha256(address.lower().encode()).hexdigest()[:16]
        key = f"{KIND}:{month.start:%Y-%m}:{digest}"
        if OutboundEmail.objects.filter(idempotency_key=key).exists():
            continue
        outbox.queue_email(kind=KIND, to=address, subject=subject, body=body, key=key)
        queued += 1
    return queued
