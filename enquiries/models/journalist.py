"""A journalist: the contact whose personal data the whole product is careful with."""

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from enquiries.models.indexes import PostgresGinIndex


class Journalist(models.Model):
    """E-mail and phone numbers are stored normalised (see enquiries.normalise)."""

    first_name = models.CharField(_("first name"), max_length=100)
    # Blank for a mail whose sender gave one name or none.
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    # NULL, not "", when no address is known: the unique constraint then ignores it.
    email = models.EmailField(_("e-mail"), max_length=254, null=True, blank=True)  # noqa: DJ001
    # When mail to the address last bounced for good (a delivery report); cleared when mail
    # from the address arrives again.
    email_bounced_at = models.DateTimeField(_("address bounced"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    outlet = models.ForeignKey(
        "enquiries.Outlet",
        verbose_name=_("outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journalists",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")
        ordering = ["last_name", "first_name"]
        constraints = [
            # NULL (no address given) may repeat; an address may not.
            models.UniqueConstraint(fields=["email"], name="journalist_email_unique"),
        ]
        indexes = [
            PostgresGinIndex(
                OpClass(Upper("first_name"), name="gin_trgm_ops"), name="journalist_first_trgm"
            ),
            PostgresGinIndex(
                OpClass(Upper("last_name"), name="gin_trgm_ops"), name="journalist_last_trgm"
            ),
            PostgresGinIndex(
                OpClass(Upper("email"), name="gin_trgm_ops"), name="journalist_email_trgm"
            ),
            PostgresGinIndex(OpClass("phone", name="gin_trgm_ops"), name="journalist_phone_trgm"),
            PostgresGinIndex(OpClass("mobile", name="gin_trgm_ops"), name="journalist_mobile_trgm"),
            # The directory pages through everyone by name (keyset on this order).
            models.Index("last_name", "first_name", "id", name="journalist_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
