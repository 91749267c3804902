"""The audit trail: who did what to which enquiry or journalist, with ids only."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.models.indexes import PostgresGinIndex


class AuditAction(models.TextChoices):
    ENQUIRY_CREATED = "enquiry.created", _("Enquiry created")
    ENQUIRY_VIEWED = "enquiry.viewed", _("Enquiry viewed")
    ENQUIRY_CHANGED = "enquiry.changed", _("Enquiry changed")
    ENQUIRY_ASSIGNED = "enquiry.assigned", _("Enquiry assigned")
    ENQUIRY_STATUS = "enquiry.status", _("Enquiry status changed")
    MESSAGE_ADDED = "message.added", _("Message added")
    REPLY_QUEUED = "reply.queued", _("Reply queued to the journalist")
    FOI_ROUTING_QUEUED = "foi.queued", _("FOI request queued for the post registry")
    FOI_ROUTING_RETRIED = "foi.retried", _("FOI routing retried")
    FOI_ROUTING_CANCELLED = "foi.cancelled", _("FOI routing cancelled")
    FOI_ROUTING_HELD = "foi.held", _("FOI request from the form held for an officer (over a cap)")
    FOI_ROUTING_RELEASED = "foi.released", _("Held FOI request released by an officer")
    FOI_CASE_NUMBER = "foi.case_number", _("Post registry case number recorded")
    HELD_MAIL_VIEWED = "inbox.viewed", _("Holding pen viewed")
    HELD_MAIL_ATTACHED = "inbox.attached", _("Held mail attached to an enquiry")
    HELD_MAIL_ENQUIRY = "inbox.enquiry", _("Held mail made into an enquiry")
    HELD_MAIL_DISCARDED = "inbox.discarded", _("Held mail discarded")
    ATTACHMENT_DOWNLOADED = "attachment.downloaded", _("Attachment downloaded")
    JOURNALIST_CREATED = "journalist.created", _("Journalist created")
    JOURNALIST_VIEWED = "journalist.viewed", _("Journalist viewed")
    JOURNALIST_LISTED = "journalist.listed", _("Journalist shown in the directory")
    JOURNALIST_CHANGED = "journalist.changed", _("Journalist changed")
    JOURNALIST_MERGED = "journalist.merged", _("Journalists merged")
    JOURNALIST_EXPORTED = "journalist.exported", _("Journalist exported")
    JOURNALIST_ERASED = "journalist.erased", _("Journalist erased")
    OPT_OUT_REGISTERED = "privacy.opt_out_registered", _("Standing opt-out registered")
    OPT_OUT_WITHDRAWN = "privacy.opt_out_withdrawn", _("Standing opt-out withdrawn")
    PERSONAL_DATA_STRIPPED = "privacy.stripped", _("Personal data removed from an enquiry")
    RIGHTS_REQUEST_OPENED = "rights.opened", _("Rights request registered")
    RIGHTS_REQUEST_EXTENDED = "rights.extended", _("Rights request extended")
    RIGHTS_REQUEST_CLOSED = "rights.closed", _("Rights request completed")
    SETTINGS_CHANGED = "settings.changed", _("Desk settings changed")
    REFERENCE_DATA_CHANGED = "reference.changed", _("Outlet or category changed")
    OUTLETS_MERGED = "reference.outlets_merged", _("Outlets merged")
    DUTY_ROTA_CHANGED = "duty.rota_changed", _("Press-duty rota changed")
    LOGIN = "auth.login", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Login failed")
    LOGIN_LOCKED_OUT = "auth.locked_out", _("Login locked after repeated failures")
    LOGOUT = "auth.logout", _("Logged out")
    SESSIONS_REVOKED = "auth.sessions_revoked", _("Logged out everywhere")
    # Reads of lists: one event per page shown, with the ids it showed in enquiry_ids and
    # journalist_ids (enquiries.core.audit.record_reads).
    QUEUE_LISTED = "read.queue", _("Queue page shown")
    SEARCH_RESULTS = "read.search", _("Search results shown")
    SUGGESTIONS = "read.suggestions", _("Contact suggestions shown")
    ADMIN_LISTED = "read.admin_list", _("Admin list shown")
    ADMIN_VIEWED = "read.admin_view", _("Admin record shown")


class AuditEvent(models.Model):
    """Never holds text: an action code, the actor, target ids and field names at most."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction)
    enquiry_id = models.BigIntegerField(_("enquiry id"), null=True, blank=True)
    journalist_id = models.BigIntegerField(_("journalist id"), null=True, blank=True)
    # Ids and field names only, e.g. {"fields": ["status"], "merged_from": 12}.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # What else the page showed beyond the target above: a queue or search page's
    # enquiries and their journalists, an enquiry page's journalist. Lists of ids.
    enquiry_ids = models.JSONField(_("enquiries shown"), default=list, blank=True)
    journalist_ids = models.JSONField(_("journalists shown"), default=list, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index("enquiry_id", F("at").desc(), name="audit_enquiry_idx"),
            # The enquiry page's history: changes only, so it costs the same after any
            # number of views.
            models.Index(
                "enquiry_id",
                F("at").desc(),
                F("id").desc(),
                name="audit_enquiry_changes_idx",
                condition=~Q(action=AuditAction.ENQUIRY_VIEWED),
            ),
            models.Index("journalist_id", F("at").desc(), name="audit_journalist_idx"),
            models.Index("at", name="audit_at_idx"),
            # "Who has read this journalist": the events whose list holds an id (jsonb @>).
            PostgresGinIndex(
                fields=["journalist_ids"],
                name="audit_journalist_ids_gin",
                opclasses=["jsonb_path_ops"],
            ),
        ]
        permissions = [("see_reads", _("Can see who has read a contact's data"))]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
