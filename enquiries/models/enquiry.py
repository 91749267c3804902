"""An enquiry and its exchange of messages."""

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from enquiries.models.indexes import PostgresGinIndex


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEB_FORM = "web_form", _("Web form")
    SOCIAL = "social", _("Social media")
    IN_PERSON = "in_person", _("In person")


class Kind(models.TextChoices):
    PRESS = "press", _("Press enquiry")
    FOI = "foi", _("Request for access (FOI)")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    ROUTED = "routed", _("Routed to the post registry")


class Enquiry(models.Model):
    Channel = Channel
    Kind = Kind
    Status = Status

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    received_at = models.DateTimeField(_("received"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PRESS)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    outlet = models.ForeignKey(
        "enquiries.Outlet",
        verbose_name=_("outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
    )
    journalist = models.ForeignKey(
        "enquiries.Journalist",
        verbose_name=_("journalist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        db_index=False,  # covered by enquiry_journalist_idx
    )
    topic = models.CharField(_("topic"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    # Contact details the public form gave that differ from the journalist's card: the form
    # never changes the card (DESIGN rule 9); an officer may accept them onto it.
    form_details = models.JSONField(_("given on the form"), default=dict, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    topic_category = models.ForeignKey(
        "enquiries.TopicCategory",
        verbose_name=_("topic category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_enquiries",
        db_index=False,  # covered by enquiry_assigned_idx
    )
    opted_out = models.BooleanField(
        _("do not log"),
        default=False,
        help_text=_("The journalist asked not to be logged: personal data goes when it is closed."),
    )
    # Received outside the desk's office hours (evening, weekend, public holiday): set at
    # receipt (and when an officer corrects the time received) from the office hours then.
    out_of_hours = models.BooleanField(_("out of hours"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # When the first e-mail went out in the thread: kept by the database itself (triggers on
    # the message table, migration 0027), whoever adds, edits or deletes a message.
    first_reply_at = models.DateTimeField(_("first reply"), null=True, blank=True, editable=False)
    # The outlet's kind, kept when an erasure or an opt-out empties the enquiry (the outlet
    # may name a person) so that reports by outlet kind stay true; empty until then.
    outlet_kind = models.CharField(_("outlet kind"), max_length=20, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # When an erasure or an opt-out emptied it down to its anonymous tally: it is closed
    # then, and leaves the queue (found again with the status filter, or by reference).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The public form's one-time token: a double click or a replayed POST finds this enquiry
    # instead of making a second one.
    submission_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # Topic, details and the message thread, kept up to date by the services (PostgreSQL only).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-received_at", "-id"]
        permissions = [("use_desk", _("Can use the press desk"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="enquiry_channel_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="enquiry_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="enquiry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("received_at")),
                name="enquiry_deadline_after_receipt",
            ),
        ]
        indexes = [
            # The queue: newest first, paged by (received_at, id) keyset.
            models.Index(F("received_at").desc(), F("id").desc(), name="enquiry_queue_idx"),
            models.Index(
                "status", F("received_at").desc(), F("id").desc(), name="enquiry_status_idx"
            ),
            models.Index(
                "assigned_to", F("received_at").desc(), F("id").desc(), name="enquiry_assigned_idx"
            ),
            models.Index("kind", F("received_at").desc(), F("id").desc(), name="enquiry_kind_idx"),
            models.Index(
                "channel", F("received_at").desc(), F("id").desc(), name="enquiry_channel_idx"
            ),
            models.Index("journalist", F("received_at").desc(), name="enquiry_journalist_idx"),
            # Overdue: open enquiries with a deadline; small, so the count is always cheap.
            models.Index(
                "deadline",
                condition=Q(status__in=["new", "in_progress"], deadline__isnull=False),
                name="enquiry_open_deadline_idx",
            ),
            # The desk's alert: FOI requests not yet forwarded (a handful at any time).
            models.Index(
                fields=["received_at"],
                condition=Q(kind="foi") & ~Q(status__in=["routed", "closed"]),
                name="enquiry_foi_unrouted_idx",
            ),
            PostgresGinIndex(fields=["search_vector"], name="enquiry_search_gin"),
            # Parts of Norwegian compounds ("beredskap" in "helseberedskap"): substring
            # search (icontains compiles to UPPER(col) LIKE UPPER(...)) off trigram indexes.
            PostgresGinIndex(
                OpClass(Upper("topic"), name="gin_trgm_ops"), name="enquiry_topic_trgm"
            ),
            PostgresGinIndex(
                OpClass(Upper("details"), name="gin_trgm_ops"), name="enquiry_details_trgm"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound e-mail")
    OUTBOUND = "out", _("Outbound e-mail")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    """One e-mail or internal note in an enquiry's exchange."""

    Direction = Direction

    enquiry = models.ForeignKey(
        Enquiry,
        verbose_name=_("enquiry"),
        on_delete=models.CASCADE,
        related_name="messages",
        db_index=False,  # covered by message_thread_idx
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction)
    sent_at = models.DateTimeField(_("date"))
    from_address = models.CharField(_("from"), max_length=1000, blank=True)
    to_address = models.CharField(_("to"), max_length=1000, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    body = models.TextField(_("text"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    # A mail we sent: its outbox row, whose delivery state the thread shows.
    outbound = models.OneToOneField(
        "enquiries.OutboundEmail",
        verbose_name=_("outgoing e-mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thread_message",
    )
    # An automatic reply (out of office) to one of our mails: noted, never answered.
    automatic = models.BooleanField(_("automatic reply"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="message_direction_valid"
            ),
            # A mail is ingested once: its Message-ID, where it has one, appears once.
            models.UniqueConstraint(
                fields=["message_id"], condition=~Q(message_id=""), name="message_id_unique"
            ),
        ]
        indexes = [models.Index("enquiry", "sent_at", "id", name="message_thread_idx")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.sent_at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """The last enquiry number handed out in a year; its row lock serialises numbering."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
