"""The outbox: every e-mail the product sends is first a row, written in the same transaction
as the change that causes it, and relayed by a Celery task after commit."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Over a cap on mail to public addresses: never sent, kept (without the address) so
        # officers see what was held back.
        HELD = "held", _("Held back (over the cap)")

    kind = models.CharField(_("kind"), max_length=40)
    # How it leaves: "smtp", or a transport an owner registered (the archive's webhook).
    transport = models.CharField(_("sent by"), max_length=20, default="smtp")
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to_address = models.EmailField(_("to"), blank=True)
    reply_to = models.EmailField(_("reply to"), blank=True)
    # For mail to an address nobody confirmed (receipts, acknowledgements, links): a keyed hash
    # of the recipient, so the per-recipient cap counts without keeping the address.
    recipient_key = models.CharField(_("recipient key"), max_length=64, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    enquiry = models.ForeignKey(
        "enquiries.Enquiry",
        verbose_name=_("enquiry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    # Where privacy asks (e.g. "your data is erased"), the address is forgotten once sent.
    wipe_recipient = models.BooleanField(_("forget the address once sent"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    # What the receiver answered when it took the row (e.g. the archive's case).
    receipt = models.CharField(_("receipt"), max_length=300, blank=True)
    # Proof of sending (SMTP): our Message-ID, set before the first try and kept for every
    # retry, so the receiving end can be asked about it; and how far the transaction got:
    # "connecting" (nothing accepted yet), "data end" (the end of DATA was about to be sent:
    # the server may have the mail), "unrecorded" (a mailer that keeps no evidence).
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    smtp_stage = models.CharField(_("SMTP stage"), max_length=20, blank=True)
    # Retried for this long from when it was queued (the owner's choice); empty: a few hours.
    retry_seconds = models.PositiveIntegerField(_("retried for (seconds)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When the row is next due: now for a new row, after the backoff for a retry. The sweeper
    # relays a queued row only when this is well past, so it never cuts a backoff short.
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "held"]),
                name="outboundemail_status_valid",
            ),
        ]
        indexes = [
            # The sweeper's question: which rows are waiting or stuck, oldest first.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="outbox_pending_idx",
            ),
            models.Index(fields=["enquiry"], name="outbox_enquiry_idx"),
            # The desk's counter of failed mail, and the sweeper's alert.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="failed"),
                name="outbox_failed_idx",
            ),
            # The caps on public mail: per recipient, and all of it, over a recent window.
            models.Index(
                fields=["recipient_key", "created_at"],
                condition=~Q(recipient_key=""),
                name="outbox_public_recipient_idx",
            ),
            models.Index(
                fields=["created_at"], condition=~Q(recipient_key=""), name="outbox_public_idx"
            ),
            models.Index(fields=["created_at"], condition=Q(status="held"), name="outbox_held_idx"),
            # Inbound threading: is a mail's In-Reply-To/References one of ours?
            models.Index(
                fields=["message_id"], condition=~Q(message_id=""), name="outbox_message_id_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.get_status_display()}"
