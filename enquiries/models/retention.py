"""What the retention purge leaves behind: anonymous monthly counts and a record of each run."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MonthlyTally(models.Model):
    """Anonymous counts that outlive the purge: statistics over long periods stay true."""

    month = models.DateField(_("month"))  # the first day of the month, Europe/Oslo
    channel = models.CharField(_("channel"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10)
    topic_category = models.CharField(_("topic category"), max_length=100, blank=True)
    outlet_kind = models.CharField(_("outlet kind"), max_length=20, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)

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
