"""Inbound mail beyond the thread: the holding pen, attachments and the ledger of mail taken.

- `HeldMail`: a mail that could not be placed in a thread (it named someone else's enquiry,
  was too large, a bounce, an auto-reply to nothing of ours, bulk mail, no sender) waits here
  for an officer: attach it to an enquiry, make a new enquiry of it, or discard it.
- `Attachment`: a file that came with a mail, kept in the database (so the purge, erasure and
  every backup treat it like the rest of the mail) when the mail's attachments are within
  PRESSDESK_INBOX_ATTACHMENTS_MAX_BYTES; beyond it, recorded by name and size only.
- `InboundReceipt`: one row per mail ever taken (a keyed hash of its Message-ID, or of its
  content when it has none), so the same mail is never ingested twice. No personal data.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HoldReason(models.TextChoices):
    NAMES_OTHERS_REFERENCE = "reference", _("Names an enquiry, but not from its journalist")
    UNKNOWN_REFERENCE = "unknown_reference", _("Names an enquiry that does not exist")
    TOO_LARGE = "too_large", _("Larger than the size limit")
    BOUNCE = "bounce", _("Bounce (delivery failure)")
    AUTO_REPLY = "auto_reply", _("Automatic reply to no mail of ours")
    BULK = "bulk", _("Bulk or list mail")
    NO_SENDER = "no_sender", _("No sender address")


class HeldMail(models.Model):
    Reason = HoldReason

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=20, choices=HoldReason)
    # Suspicious: it tried to join a thread it has no right to (shown flagged on the desk).
    flagged = models.BooleanField(_("suspicious"), default=False)
    sent_at = models.DateTimeField(_("date"))
    from_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    from_address = models.CharField(_("from"), max_length=1000, blank=True)
    to_address = models.CharField(_("to"), max_length=1000, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    body = models.TextField(_("text"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    # The enquiry reference the mail named, if any (a plain value: the enquiry may go).
    named_reference = models.CharField(_("names"), max_length=20, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("held mail")
        verbose_name_plural = _("held mail")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=HoldReason.values), name="heldmail_reason_valid"
            ),
        ]
        indexes = [models.Index(fields=["received_at"], name="heldmail_received_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.received_at:%Y-%m-%d %H:%M}"


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def listed(self) -> "AttachmentQuerySet":
        """For lists: everything but the content, and whether it was kept."""
        return self.defer("content").annotate(
            has_content=models.ExpressionWrapper(
                Q(content__isnull=False), output_field=models.BooleanField()
            )
        )


class Attachment(models.Model):
    """Belongs to a message in a thread, or to a held mail; goes with it."""

    message = models.ForeignKey(
        "enquiries.Message",
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    held_mail = models.ForeignKey(
        HeldMail,
        verbose_name=_("held mail"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # None: over the per-mail limit, recorded by name and size only.
    content = models.BinaryField(_("content"), null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(message__isnull=False, held_mail__isnull=True)
                | Q(message__isnull=True, held_mail__isnull=False),
                name="attachment_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def kept(self) -> bool:
        return self.content is not None


class InboundReceipt(models.Model):
    """A mail taken (once): a keyed hash, never the Message-ID or the content itself."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("inbound mail receipt")
        verbose_name_plural = _("inbound mail receipts")

    def __str__(self) -> str:
        return self.key[:12]
