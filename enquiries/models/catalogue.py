"""Reference data that administrators keep: outlets and topic categories."""

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _

from enquiries.models.indexes import PostgresGinIndex


class TopicCategory(models.Model):
    """An admin-managed category for statistics (preparedness, covid-19, …)."""

    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("topic category")
        verbose_name_plural = _("topic categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="topiccategory_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class OutletKind(models.TextChoices):
    NEWSPAPER = "newspaper", _("Newspaper")
    BROADCASTER = "broadcaster", _("Broadcaster")
    ONLINE = "online", _("Online")
    AGENCY = "agency", _("News agency")
    FREELANCE = "freelance", _("Freelance")
    OTHER = "other", _("Other")


class Outlet(models.Model):
    """A media outlet; matched case-insensitively by name."""

    Kind = OutletKind

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OutletKind, default=OutletKind.OTHER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="outlet_name_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=OutletKind.values), name="outlet_kind_valid"
            ),
        ]
        indexes = [
            # Suggestions while typing: icontains compiles to UPPER(name) LIKE UPPER('%…%').
            PostgresGinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="outlet_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name
