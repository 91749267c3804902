"""What the retention purge leaves behind: anonymous monthly counts and a record of each run."""

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.models.enquiry import Status


def answer_outcomes() -> dict[str, models.Count]:
    """How enquiries were answered, as conditional counts named as the tally's columns: what
    the purge folds into the tallies and what the report counts live, one definition."""
    answered = Q(answered_at__isnull=False)
    outcomes: dict[str, models.Count] = {}
    lower: int | None = None
    for name, upper in MonthlyTally.ANSWER_BUCKETS:
        within = answered
        if lower is not None:
            within &= Q(answered_at__gt=F("received_at") + timedelta(hours=lower))
        if upper is not None:
            within &= Q(answered_at__lte=F("received_at") + timedelta(hours=upper))
        outcomes[name] = models.Count("id", filter=within)
        lower = upper
    closed = Q(status=Status.CLOSED)
    outcomes["with_deadline"] = models.Count("id", filter=Q(deadline__isnull=False))
    outcomes["before_deadline"] = models.Count(
        "id", filter=answered & Q(deadline__isnull=False, answered_at__lte=F("deadline"))
    )
    outcomes["closed"] = models.Count("id", filter=closed)
    outcomes["closed_unanswered"] = models.Count("id", filter=closed & ~answered)
    return outcomes


class MonthlyTally(models.Model):
    """Anonymous counts that outlive the purge: statistics over long periods stay true."""

    month = models.DateField(_("month"))  # the first day of the month, Europe/Oslo
    channel = models.CharField(_("channel"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10)
    topic_category = models.CharField(_("topic category"), max_length=100, blank=True)
    outlet_kind = models.CharField(_("outlet kind"), max_length=20, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    # How the purged enquiries were answered, so the report's shares and answer-time buckets
    # stay true for months the purge has emptied. Buckets are hours from receipt to
    # "answered", each enquiry in exactly one (see ANSWER_BUCKETS).
    answered_within_1h = models.PositiveIntegerField(_("answered within 1 hour"), default=0)
    answered_within_4h = models.PositiveIntegerField(_("answered within 1-4 hours"), default=0)
    answered_within_24h = models.PositiveIntegerField(_("answered within 4-24 hours"), default=0)
    answered_within_72h = models.PositiveIntegerField(_("answered within 1-3 days"), default=0)
    answered_later = models.PositiveIntegerField(_("answered after 3 days"), default=0)
    with_deadline = models.PositiveIntegerField(_("with a deadline"), default=0)
    before_deadline = models.PositiveIntegerField(_("answered before the deadline"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    closed_unanswered = models.PositiveIntegerField(_("closed without an answer"), default=0)

    # The bucket columns and their upper bounds in hours (the last has none).
    ANSWER_BUCKETS = (
        ("answered_within_1h", 1),
        ("answered_within_4h", 4),
        ("answered_within_24h", 24),
        ("answered_within_72h", 72),
        ("answered_later", None),
    )
    OUTCOMES = ("with_deadline", "before_deadline", "closed", "closed_unanswered")

    class Meta:
        verbose_name = _("monthly tally")
        verbose_name_plural = _("monthly tallies")
        ordering = ["-month", "channel", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "channel", "kind", "topic_category", "outlet_kind"],
                name="monthlytally_unique_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel} {self.kind}: {self.count}"


class ReportDay(models.Model):
    """The reports' summary on PostgreSQL: per Oslo calendar day, how many enquiries have each
    value of each dimension (channel, kind, hour of receipt, how it was answered, ...). Kept
    by database triggers as enquiries are added, changed and deleted (migration 0028), so a
    year's report reads a few thousand rows instead of scanning a third of the log. Never
    written by the application; `enquiries.reports.summary_sql` defines the dimensions."""

    dimension = models.CharField(max_length=16)
    day = models.DateField()
    value = models.CharField(max_length=100)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "day", "value"], name="reportday_unique_fact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.count}"


class PurgeRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RUNNING)
    dry_run = models.BooleanField(_("dry run"), default=False)
    cutoff = models.DateField(_("received before"))
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "-started_at"], name="purgerun_status_idx")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
