"""The forwarding of one FOI request to the post registry (DESIGN.md rule 6).

The desk keeps this record, not the case: the registry journals and answers the request. The
forwarding itself is an outbox row (an e-mail to the registry, or a post to the archive's
webhook), and the routing follows its state.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FoiRouting(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Forwarded")
        FAILED = "failed", _("Failed")
        # From the form over a cap (a flood): waits for an officer's confirmation on the desk.
        HELD = "held", _("Waiting for an officer")

    class Backend(models.TextChoices):
        EMAIL = "email", _("E-mail to the post registry")
        WEBHOOK = "webhook", _("Archive system (webhook)")

    enquiry = models.OneToOneField(
        "enquiries.Enquiry",
        verbose_name=_("enquiry"),
        on_delete=models.CASCADE,
        related_name="foi_routing",
    )
    backend = models.CharField(_("sent by"), max_length=10, choices=Backend)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    # The same on every attempt, so an archive system recognises a retry of one request.
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True)
    delivery = models.OneToOneField(
        "enquiries.OutboundEmail",
        verbose_name=_("delivery"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="foi_routing",
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    case_number = models.CharField(_("post registry case number"), max_length=100, blank=True)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("forwarded"), null=True, blank=True)

    class Meta:
        verbose_name = _("FOI routing")
        verbose_name_plural = _("FOI routings")
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "held"]),
                name="foirouting_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(backend__in=["email", "webhook"]), name="foirouting_backend_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="foirouting_sent_has_time",
            ),
        ]
        indexes = [
            # The sweeper's and the desk alert's question: what has not gone yet.
            models.Index(
                fields=["status", "queued_at"],
                condition=~Q(status="sent"),
                name="foirouting_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_backend_display()}: {self.get_status_display()}"
