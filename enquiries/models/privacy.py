"""What privacy needs to remember, without remembering anyone."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Phone number")


class Suppression(models.Model):
    """A standing opt-out: a keyed hash (HMAC) of a normalised address or number, not the value."""

    Kind = ContactKind

    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind)
    key_hash = models.CharField(_("keyed hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("standing opt-out")
        verbose_name_plural = _("standing opt-outs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContactKind.values), name="suppression_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key_hash[:8]}…"


class ErasureReceipt(models.Model):
    """What an erasure removed: counts, when and by whom. No personal data."""

    class Via(models.TextChoices):
        DESK = "desk", _("Press desk")
        COMMAND = "command", _("Management command")
        SELF_SERVICE = "self_service", _("Self-service link")

    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    via = models.CharField(_("via"), max_length=20, choices=Via)
    journalists = models.PositiveIntegerField(_("contacts removed"), default=0)
    enquiries = models.PositiveIntegerField(_("enquiries emptied"), default=0)
    messages = models.PositiveIntegerField(_("messages removed"), default=0)
    mentions = models.PositiveIntegerField(_("mentions scrubbed elsewhere"), default=0)
    audit_events = models.PositiveIntegerField(_("audit events scrubbed"), default=0)

    class Meta:
        verbose_name = _("erasure receipt")
        verbose_name_plural = _("erasure receipts")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class RightsKind(models.TextChoices):
    ACCESS = "access", _("Access (a copy of the data)")
    ERASURE = "erasure", _("Erasure")
    OPT_OUT = "opt_out", _("Standing opt-out")
    OBJECTION = "objection", _("Objection")
    RESTRICTION = "restriction", _("Restriction")
    RECTIFICATION = "rectification", _("Rectification")


class RightsChannel(models.TextChoices):
    SELF_SERVICE = "self_service", _("Self-service")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")


class IdentityCheck(models.TextChoices):
    """How the desk knew the requester is who they say (GDPR art. 12(6)): kept with the
    request, so the answer can show it went to the right person."""

    REGISTERED_EMAIL = "registered_email", _("Known by e-mail from the registered address")
    IN_PERSON = "in_person", _("ID checked in person")
    CALL_BACK = "call_back", _("By phone call-back to the registered number")
    SELF_SERVICE = "self_service", _("Self-service link to the registered address")


class RightsStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class RightsRequest(models.Model):
    """A data subject's request, on the clock of GDPR art. 12(3): one month, extendable by two."""

    Kind = RightsKind
    Channel = RightsChannel
    IdentityCheck = IdentityCheck
    Status = RightsStatus

    kind = models.CharField(_("kind"), max_length=20, choices=RightsKind)
    channel = models.CharField(_("received by"), max_length=20, choices=RightsChannel)
    status = models.CharField(
        _("status"), max_length=10, choices=RightsStatus, default=RightsStatus.OPEN
    )
    received_at = models.DateTimeField(_("received"))
    due_date = models.DateField(_("due"))
    extended_due_date = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for extension"), max_length=500, blank=True)
    requester_told_at = models.DateField(_("requester told of extension"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    journalist = models.ForeignKey(
        "enquiries.Journalist",
        verbose_name=_("journalist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rights_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who asked: personal data, so an erasure of that journalist blanks it (privacy.erasure).
    requester_name = models.CharField(_("requester"), max_length=200, blank=True)
    identity_check = models.CharField(
        _("identity checked"), max_length=20, choices=IdentityCheck, blank=True
    )
    # The erasure that carried the request out (its receipt holds counts only).
    erasure_receipt = models.ForeignKey(
        "enquiries.ErasureReceipt",
        verbose_name=_("erasure receipt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RightsKind.values), name="rights_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=RightsChannel.values), name="rights_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RightsStatus.values), name="rights_status_valid"
            ),
        ]
        indexes = [
            models.Index("due_date", condition=Q(status="open"), name="rights_open_due_idx"),
            # The journalist card lists their requests, newest first.
            models.Index("journalist", F("received_at").desc(), name="rights_journalist_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def effective_due_date(self) -> date:
        return self.extended_due_date or self.due_date


class LinkPurpose(models.TextChoices):
    ERASURE = "erasure", _("Erase my information")
    ACCESS = "access", _("Send me a copy of my information")
    OPT_OUT = "opt_out", _("Do not log me in future")
    WITHDRAW_OPT_OUT = "withdraw_opt_out", _("Withdraw my standing opt-out")


class SelfServiceLink(models.Model):
    """One e-mailed, single-use link. The URL carries a signed random token, never the address;
    the address waits here until the link is used (then it is wiped) or the purge removes it."""

    Purpose = LinkPurpose

    purpose = models.CharField(_("purpose"), max_length=20, choices=LinkPurpose)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-service link")
        verbose_name_plural = _("self-service links")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=LinkPurpose.values), name="selfservicelink_purpose_valid"
            ),
        ]
        indexes = [models.Index("expires_at", name="selfservicelink_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
