"""Django admin: administrators keep outlets, categories and settings; the log itself is
read-only here (officers work it on the desk, where every change goes through a service)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enquiries import access
from enquiries.accounts import sessions
from enquiries.core import audit
from enquiries.core.desk_settings import update_desk_settings
from enquiries.core.errors import MailMayHaveGoneOut, NothingToMergeOutlets, PressdeskError
from enquiries.foi import routing as foi_routing
from enquiries.handling import canned, catalogue, duty
from enquiries.handling.contacts import ensure_unique_name
from enquiries.mail import outbox
from enquiries.models import (
    AuditAction,
    AuditEvent,
    CannedReply,
    DeskSettings,
    DutyShift,
    Enquiry,
    ErasureReceipt,
    FoiRouting,
    Journalist,
    Message,
    MonthlyTally,
    OutboundEmail,
    Outlet,
    PurgeRun,
    ReferenceCounter,
    RightsRequest,
    SelfServiceLink,
    Suppression,
    TopicCategory,
)
from enquiries.models.desk_settings import channel_retention_problems
from enquiries.models.enquiry import Channel

admin.site.site_header = _("Pressdesk administration")
admin.site.site_title = _("Pressdesk")
admin.site.index_title = _("Press office settings and records")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable with the view permission; written only through the desk's services."""

    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PersonalDataAdmin(ReadOnlyAdmin):
    """Personal data: Django's model permission is not enough, the viewer must also be a
    press officer (access.may_use_desk). Every list page and record shown is audited, by ids:
    the rows' enquiries (`audit_enquiry`, an attribute holding an enquiry id) and the
    journalists shown with them (`audit_journalist`, or else those enquiries' journalists)."""

    audit_enquiry = ""
    audit_journalist = ""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.may_use_desk(request.user) and super().has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_use_desk(request.user) and super().has_module_permission(request)

    def _shown(self, rows: list[Any]) -> tuple[list[int], list[int]]:
        enquiries = [getattr(row, self.audit_enquiry) for row in rows] if self.audit_enquiry else []
        if self.audit_journalist:
            return enquiries, [getattr(row, self.audit_journalist) for row in rows]
        journalists = Enquiry.objects.filter(pk__in=[pk for pk in enquiries if pk]).values_list(
            "journalist_id", flat=True
        )
        return enquiries, list(journalists) if enquiries else []

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        changelist = context.get("cl")
        if changelist is not None:  # a page of rows (not a redirect after an action)
            rows = list(changelist.result_list)
            enquiry_ids, journalist_ids = self._shown(rows)
            audit.record_reads(
                actor=request.user,
                action=AuditAction.ADMIN_LISTED,
                detail={"model": self.opts.model_name, "ids": [row.pk for row in rows]},
                enquiry_ids=enquiry_ids,
                journalist_ids=journalist_ids,
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        self._record_viewed(request, context.get("original"), {})
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # The history page is headed with the record's name: a read like the record itself.
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None) or {}
        self._record_viewed(request, context.get("object"), {"page": "history"})
        return response

    def _record_viewed(self, request: HttpRequest, shown: Any, page: dict[str, str]) -> None:
        if shown is None:  # nothing shown (not there, or a redirect)
            return
        enquiry_ids, journalist_ids = self._shown([shown])
        model = self.opts.model_name
        audit.record_reads(
            actor=request.user,
            action=AuditAction.ADMIN_VIEWED,
            enquiry_id=shown.pk if model == "enquiry" else None,
            journalist_id=shown.pk if model == "journalist" else None,
            detail={"model": model, "ids": [shown.pk], **page},
            enquiry_ids=enquiry_ids,
            journalist_ids=journalist_ids,
        )


def _administrator(request: HttpRequest) -> User:
    """The user admin let in: AdminSite.admin_view admits active staff only, never anonymous."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


class CaseInsensitiveNameForm(forms.ModelForm):
    """The base of the outlet and category forms (admin's get_form builds on `form`)."""

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        try:
            ensure_unique_name(self._meta.model, name=name, exclude_pk=self.instance.pk)
        except PressdeskError as exc:
            raise ValidationError(str(exc)) from exc
        return name


class ServiceSavedAdmin(admin.ModelAdmin):
    """Saves through catalogue.save_reference_item so names stay unique in any letter case."""

    form = CaseInsensitiveNameForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        catalogue.save_reference_item(item=obj, by=_administrator(request))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        catalogue.delete_reference_items(items=[obj], by=_administrator(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        catalogue.delete_reference_items(items=list(queryset), by=_administrator(request))


@admin.register(Outlet)
class OutletAdmin(ServiceSavedAdmin):
    list_display = ["name", "kind", "journalist_count", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    ordering = ["name"]

    actions = ["merge_outlets"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Outlet]:
        return super().get_queryset(request).annotate(journalist_total=Count("journalists"))

    @admin.action(description=_("Merge the selected outlets"), permissions=["change", "delete"])
    def merge_outlets(
        self, request: HttpRequest, queryset: QuerySet[Outlet]
    ) -> TemplateResponse | None:
        """First a confirmation page (which one to keep, what moves), then the merge."""
        # Counted afresh: two joins would multiply each other's counts.
        outlets = list(
            Outlet.objects.filter(pk__in=queryset.values("pk"))
            .annotate(
                enquiry_total=Count("enquiries", distinct=True),
                journalist_total=Count("journalists", distinct=True),
            )
            .order_by("name")
        )
        if len(outlets) < 2:
            self.message_user(request, str(NothingToMergeOutlets()), messages.WARNING)
            return None
        keep = request.POST.get("keep", "")
        chosen = int(keep) if keep.isdigit() else None
        if chosen not in {outlet.pk for outlet in outlets}:
            chosen = None
        if request.POST.get("confirmed") == "yes" and chosen is None:
            self.message_user(request, str(NothingToMergeOutlets()), messages.ERROR)
            return None
        if request.POST.get("confirmed") == "yes" and chosen is not None:
            try:
                merged = catalogue.merge_outlets(
                    keep_id=chosen,
                    merged_ids=[outlet.pk for outlet in outlets],
                    by=_administrator(request),
                )
            except PressdeskError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(
                request,
                _(
                    "%(outlets)d outlet(s) merged: %(enquiries)d enquiries and "
                    "%(journalists)d journalists moved."
                )
                % {
                    "outlets": len(merged.merged_ids),
                    "enquiries": merged.enquiries,
                    "journalists": merged.journalists,
                },
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/enquiries/outlet/merge_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge outlets"),
                "opts": self.model._meta,
                "outlets": outlets,
                "keep": chosen or outlets[0].pk,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.display(description=_("journalists"), ordering="journalist_total")
    def journalist_count(self, obj: Outlet) -> int:
        # Annotated by get_queryset above; the model class does not declare it.
        return obj.journalist_total  # type: ignore[attr-defined]


@admin.register(TopicCategory)
class TopicCategoryAdmin(ServiceSavedAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


def _channel_field(channel: str) -> str:
    return f"retention_{channel}"


def _months_field(channel: Channel) -> forms.IntegerField:
    return forms.IntegerField(
        label=channel.label,
        required=False,
        min_value=1,
        max_value=119,
        help_text=_("Months; empty: the general retention period."),
    )


class DeskSettingsForm(forms.ModelForm):
    """The shorter retention per channel as one whole-months field per channel (stored as
    the JSON `channel_retention_months`); empty means the general period."""

    retention_phone = _months_field(Channel.PHONE)
    retention_email = _months_field(Channel.EMAIL)
    retention_web_form = _months_field(Channel.WEB_FORM)
    retention_social = _months_field(Channel.SOCIAL)
    retention_in_person = _months_field(Channel.IN_PERSON)

    class Meta:
        model = DeskSettings
        fields = [
            "press_phone",
            "press_email",
            "notice",
            "office_opens",
            "office_closes",
            "post_registry_email",
            "public_journal_url",
            "retention_years",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.channel_retention_months or {}
        for channel in Channel.values:
            self.fields[_channel_field(channel)].initial = stored.get(channel)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        periods = {
            channel: cleaned[_channel_field(channel)]
            for channel in Channel.values
            if cleaned.get(_channel_field(channel)) is not None
        }
        problems = channel_retention_problems(periods, cleaned.get("retention_years"))
        for channel, problem in problems.items():
            self.add_error(_channel_field(channel) if channel else None, problem)
        # The model's own check runs on the instance next: give it the value only when valid.
        self.instance.channel_retention_months = {} if problems else periods
        cleaned["channel_retention_months"] = periods
        return cleaned


@admin.register(DeskSettings)
class DeskSettingsAdmin(admin.ModelAdmin):
    """One row: the list goes straight to its form; it cannot be added or deleted."""

    form = DeskSettingsForm
    fieldsets = [
        (_("Press duty"), {"fields": ["press_phone", "press_email", "notice"]}),
        (_("Office hours"), {"fields": ["office_opens", "office_closes"]}),
        (
            _("Requests for access to documents"),
            {"fields": ["post_registry_email", "public_journal_url"]},
        ),
        (_("Retention"), {"fields": ["retention_years"]}),
        (
            _("Shorter retention per channel (months)"),
            {"fields": [_channel_field(channel) for channel in Channel.values]},
        ),
        (_("Reports"), {"fields": ["report_recipients"]}),
        (_("Replies from the desk"), {"fields": ["signature"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        url = reverse("admin:enquiries_desksettings_change", args=[DeskSettings.SINGLETON_ID])
        return HttpResponseRedirect(url)

    def save_model(self, request: HttpRequest, obj: DeskSettings, form: Any, change: bool) -> None:
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if not name.startswith("retention_") or name == "retention_years"
        }
        if any(
            name.startswith("retention_") and name != "retention_years"
            for name in form.changed_data
        ):
            changes["channel_retention_months"] = form.cleaned_data["channel_retention_months"]
        update_desk_settings(by=_administrator(request), **changes)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class DutyShiftForm(forms.ModelForm):
    """Only press officers are offered for the rota."""

    officer = OfficerChoiceField(queryset=User.objects.none(), label=_("officer"))

    class Meta:
        model = DutyShift
        fields = ["officer", "starts_at", "ends_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        if isinstance(officer, OfficerChoiceField):  # declared above: always
            officer.queryset = access.desk_users().order_by("first_name", "last_name", "username")


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    """The press-duty rota: who answers the press phone when; saved through handling.duty."""

    form = DutyShiftForm
    list_display = ["starts_at", "ends_at", "officer_name"]
    list_select_related = ["officer"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]

    @admin.display(description=_("officer"), ordering="officer__first_name")
    def officer_name(self, obj: DutyShift) -> str:
        return obj.officer.get_full_name() or obj.officer.get_username()

    def save_model(self, request: HttpRequest, obj: DutyShift, form: Any, change: bool) -> None:
        duty.save_shift(shift=obj, by=_administrator(request))

    def delete_model(self, request: HttpRequest, obj: DutyShift) -> None:
        duty.delete_shifts(shift_ids=[obj.pk], by=_administrator(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DutyShift]) -> None:
        duty.delete_shifts(
            shift_ids=list(queryset.values_list("pk", flat=True)), by=_administrator(request)
        )


class CannedReplyForm(forms.ModelForm):
    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        unknown = canned.unknown_placeholders(body)
        if unknown:
            raise ValidationError(
                _("Unknown placeholders: %(names)s. Use %(known)s."),
                params={
                    "names": ", ".join(f"{{{name}}}" for name in unknown),
                    "known": ", ".join(f"{{{name}}}" for name in canned.PLACEHOLDERS),
                },
            )
        return body


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """Canned replies ("svarmal") for the desk's reply form."""

    form = CannedReplyForm
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor", "enquiry_id", "journalist_id"]
    list_filter = ["action"]
    search_fields = ["=enquiry_id", "=journalist_id", "actor__username"]
    list_select_related = ["actor"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AuditEvent], search_term: str
    ) -> tuple[QuerySet[AuditEvent], bool]:
        """A number also finds the reads that listed that journalist (queue, search, …)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isdigit() and len(term) < 19:
            found |= queryset.filter(audit.listing_journalist(int(term)))
        return found, may_have_duplicates


class MessageInline(admin.TabularInline):
    model = Message
    fields = ["direction", "sent_at", "from_address", "to_address", "subject"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Enquiry)
class EnquiryAdmin(PersonalDataAdmin):
    list_display = [
        "reference",
        "received_at",
        "status",
        "kind",
        "channel",
        "outlet",
        "topic_category",
        "assigned_to",
        "opted_out",
    ]
    list_filter = ["status", "kind", "channel", "opted_out", "topic_category"]
    search_fields = ["=reference", "topic"]
    list_select_related = ["outlet", "topic_category", "assigned_to"]
    exclude = ["search_vector"]
    inlines = [MessageInline]
    audit_enquiry = "pk"
    audit_journalist = "journalist_id"


@admin.register(Journalist)
class JournalistAdmin(PersonalDataAdmin):
    list_display = ["last_name", "first_name", "email", "outlet", "created_at"]
    search_fields = ["first_name", "last_name", "email", "phone", "mobile"]
    list_filter = ["outlet__kind"]
    list_select_related = ["outlet"]
    audit_journalist = "pk"


@admin.register(Message)
class MessageAdmin(PersonalDataAdmin):
    list_display = ["sent_at", "direction", "enquiry", "subject"]
    list_filter = ["direction"]
    search_fields = ["=enquiry__reference", "subject"]
    list_select_related = ["enquiry"]
    audit_enquiry = "enquiry_id"


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyAdmin):
    list_display = ["year", "last_number"]


@admin.register(ErasureReceipt)
class ErasureReceiptAdmin(ReadOnlyAdmin):
    list_display = ["at", "via", "by", "journalists", "enquiries", "messages", "mentions"]
    list_filter = ["via"]
    list_select_related = ["by"]


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdmin):
    """Only keyed hashes: nobody can read an address back out of this list."""

    list_display = ["kind", "created_at"]
    list_filter = ["kind"]


@admin.register(RightsRequest)
class RightsRequestAdmin(PersonalDataAdmin):
    list_display = ["kind", "channel", "status", "received_at", "due_date", "extended_due_date"]
    list_filter = ["status", "kind", "channel"]
    audit_journalist = "journalist_id"


@admin.register(SelfServiceLink)
class SelfServiceLinkAdmin(PersonalDataAdmin):
    """When links were asked for and used; the address they act on is never shown."""

    list_display = ["purpose", "created_at", "expires_at", "used_at"]
    list_filter = ["purpose"]
    fields = ["purpose", "created_at", "expires_at", "used_at"]


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdmin):
    """Each purge: when, how long, what it removed, and the error if it failed."""

    list_display = ["started_at", "finished_at", "status", "dry_run", "cutoff", "counts", "error"]
    list_filter = ["status", "dry_run"]


@admin.register(MonthlyTally)
class MonthlyTallyAdmin(ReadOnlyAdmin):
    list_display = ["month", "channel", "kind", "topic_category", "outlet_kind", "count"]
    list_filter = ["channel", "kind", "outlet_kind"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(PersonalDataAdmin):
    """The outbox: what was sent, what waits, and what failed (with "try again")."""

    list_display = ["created_at", "kind", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["=enquiry__reference"]
    exclude = ["body"]
    audit_enquiry = "enquiry_id"
    actions = ["retry_failed"]

    @admin.action(description=_("Try sending the selected failed e-mails again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        queued = held = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                queued += outbox.retry(email_id=pk)
            except MailMayHaveGoneOut:  # a person confirms that one on the enquiry page
                held += 1
        self.message_user(request, _("%(count)d e-mail(s) queued again.") % {"count": queued})
        if held:
            self.message_user(
                request,
                _(
                    "%(count)d e-mail(s) may already have gone out: check and retry them "
                    "from the enquiry page."
                )
                % {"count": held},
                level=messages.WARNING,
            )

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # The retry action needs change permission; the form itself stays read-only.
        return (
            obj is None
            and access.may_use_desk(request.user)
            and request.user.has_perm("enquiries.change_outboundemail")
        )


@admin.register(FoiRouting)
class FoiRoutingAdmin(PersonalDataAdmin):
    """FOI requests forwarded to the post registry: status, attempts, the registry's case
    number; failed ones can be retried here as on the desk."""

    list_display = [
        "queued_at",
        "enquiry",
        "backend",
        "status",
        "attempts",
        "sent_at",
        "case_number",
        "last_error",
    ]
    list_filter = ["status", "backend"]
    search_fields = ["=enquiry__reference", "=case_number"]
    actions = ["retry_failed"]
    audit_enquiry = "enquiry_id"

    @admin.action(description=_("Forward the selected failed requests again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[FoiRouting]) -> None:
        queued = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                queued += foi_routing.retry_now(routing_id=pk, by=_administrator(request))
            except MailMayHaveGoneOut as exc:  # a person confirms that one on the enquiry page
                self.message_user(request, str(exc), level=messages.WARNING)
        self.message_user(request, _("%(count)d request(s) queued again.") % {"count": queued})

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return (
            obj is None
            and access.may_use_desk(request.user)
            and request.user.has_perm("enquiries.change_foirouting")
        )


admin.site.unregister(User)


class SecondFactorFilter(admin.SimpleListFilter):
    """Who has enrolled a TOTP device or a passkey, and who has not yet."""

    title = _("second factor")
    parameter_name = "second_factor"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", str(_("Has one"))), ("no", str(_("None yet")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User]:
        if self.value() in {"yes", "no"}:
            return queryset.filter(**{access.SECOND_FACTOR_ANNOTATION: self.value() == "yes"})
        return queryset


@admin.register(User)
class PressdeskUserAdmin(UserAdmin):
    """Django's user admin, with "log out everywhere" for the selected users and who has
    no second factor yet (a column and a filter)."""

    actions = ["log_out_everywhere"]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "second_factor")
    list_filter = (SecondFactorFilter, "is_staff", "is_superuser", "is_active", "groups")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .annotate(**{access.SECOND_FACTOR_ANNOTATION: access.holds_second_factor()})
        )

    @admin.display(description=_("Second factor"), boolean=True)
    def second_factor(self, user: User) -> bool:
        return bool(getattr(user, access.SECOND_FACTOR_ANNOTATION))

    @admin.action(description=_("Log out everywhere"), permissions=["change"])
    def log_out_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = sessions.revoke_for_users(users=list(queryset), by=_administrator(request))
        self.message_user(
            request, _("Sessions ended for %(count)d users.") % {"count": count}, messages.SUCCESS
        )
