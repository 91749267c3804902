"""Django admin: administrators keep outlets, categories and settings; the log itself is
read-only here (officers work it on the desk, where every change goes through a service)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enquiries import access
from enquiries.accounts import sessions
from enquiries.core.desk_settings import update_desk_settings
from enquiries.core.errors import MailMayHaveGoneOut, PressdeskError
from enquiries.foi import routing as foi_routing
from enquiries.handling import catalogue
from enquiries.handling.contacts import ensure_unique_name
from enquiries.mail import outbox
from enquiries.models import (
    AuditEvent,
    DeskSettings,
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
    press officer (access.may_use_desk)."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.may_use_desk(request.user) and super().has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_use_desk(request.user) and super().has_module_permission(request)


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Outlet]:
        return super().get_queryset(request).annotate(journalist_total=Count("journalists"))

    @admin.display(description=_("journalists"), ordering="journalist_total")
    def journalist_count(self, obj: Outlet) -> int:
        # Annotated by get_queryset above; the model class does not declare it.
        return obj.journalist_total  # type: ignore[attr-defined]


@admin.register(TopicCategory)
class TopicCategoryAdmin(ServiceSavedAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(DeskSettings)
class DeskSettingsAdmin(admin.ModelAdmin):
    """One row: the list goes straight to its form; it cannot be added or deleted."""

    fieldsets = [
        (_("Press duty"), {"fields": ["press_phone", "press_email", "notice"]}),
        (
            _("Requests for access to documents"),
            {"fields": ["post_registry_email", "public_journal_url"]},
        ),
        (_("Retention"), {"fields": ["retention_years", "channel_retention_months"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        url = reverse("admin:enquiries_desksettings_change", args=[DeskSettings.SINGLETON_ID])
        return HttpResponseRedirect(url)

    def save_model(self, request: HttpRequest, obj: DeskSettings, form: Any, change: bool) -> None:
        update_desk_settings(
            by=_administrator(request),
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor", "enquiry_id", "journalist_id"]
    list_filter = ["action"]
    search_fields = ["=enquiry_id", "=journalist_id", "actor__username"]
    list_select_related = ["actor"]


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
    readonly_fields = ["search_vector"]
    exclude = ["search_vector"]
    inlines = [MessageInline]


@admin.register(Journalist)
class JournalistAdmin(PersonalDataAdmin):
    list_display = ["last_name", "first_name", "email", "outlet", "created_at"]
    search_fields = ["first_name", "last_name", "email", "phone", "mobile"]
    list_filter = ["outlet__kind"]
    list_select_related = ["outlet"]


@admin.register(Message)
class MessageAdmin(PersonalDataAdmin):
    list_display = ["sent_at", "direction", "enquiry", "subject"]
    list_filter = ["direction"]
    search_fields = ["=enquiry__reference", "subject"]
    list_select_related = ["enquiry"]


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
