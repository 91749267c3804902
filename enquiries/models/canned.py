"""Canned replies ("svarmal"): texts administrators keep for the desk's common answers."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class CannedReply(models.Model):
    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(
        _("text"),
        max_length=20000,
        help_text=_(
            "Placeholders: {journalist_name} (the journalist's name), {reference} (the "
            "enquiry's reference), {officer_name} (the officer who sends it)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="cannedreply_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name
