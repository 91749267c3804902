"""When the background processes last showed they were alive (for /healthz)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """One row per kind of beat: "beat" (a tick of Celery beat, run by a worker) and "sweep"
    (the outbox sweeper's last run). In the database, not Redis: it outlives a Redis restart
    and every web process reads the same answer."""

    name = models.CharField(_("name"), max_length=20, primary_key=True)
    at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
