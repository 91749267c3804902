"""The press-duty rota: which officer is on duty when."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DutyShift(models.Model):
    """One officer on press duty from `starts_at` until `ends_at` (evenings and weekends
    included: the press-duty phone is answered then too)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        related_name="duty_shifts",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("press-duty shift")
        verbose_name_plural = _("press-duty rota")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="dutyshift_ends_after_start"
            ),
        ]
        indexes = [models.Index("ends_at", "starts_at", name="dutyshift_current_idx")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} - {self.ends_at:%Y-%m-%d %H:%M}"
