"""The enquiry page and its actions."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from enquiries import access
from enquiries.core import audit
from enquiries.core.desk_settings import desk_settings
from enquiries.foi import routing as foi_routing
from enquiries.foi.detection import foi_signal
from enquiries.forms.desk import (
    DATETIME_FORMAT,
    AssignForm,
    CaseNumberForm,
    EnquiryEditForm,
    MessageForm,
    StatusForm,
)
from enquiries.forms.replies import ReplyForm
from enquiries.handling import canned, contacts, presence
from enquiries.handling import enquiries as handling
from enquiries.handling.canned import active_canned_replies
from enquiries.mail import outbox
from enquiries.mail.threading import reply_subject
from enquiries.models import AuditAction, Enquiry, Message
from enquiries.queue.clocks import enquiry_clocks
from enquiries.queue.history import history_lines
from enquiries.queue.listing import topic_categories
from enquiries.queue.records import (
    THREAD_SHOWN,
    enquiry_history,
    enquiry_mail,
    enquiry_thread,
    enquiry_views,
    outgoing_mail,
)
from enquiries.views.common import unless_same_minute
from enquiries.views.errors import flash_errors, form_errors
from enquiries.views.guards import DeskRequest, desk_view, enquiry_for_officer


def reply_form(
    request: DeskRequest,
    enquiry: Enquiry,
    thread: list[Message],
    data: Any = None,
    initial: dict[str, Any] | None = None,
) -> ReplyForm:
    """The reply form: in answer to the newest inbound mail, "Re:" its subject (or the
    topic's); the inbound mails of the thread shown and the canned replies to choose from."""
    inbound = [message for message in reversed(thread) if message.direction == "in"]
    if initial is None:
        newest = next((message for message in inbound if message.message_id), None)
        initial = {
            "subject": reply_subject(newest.subject if newest else enquiry.topic),
            "answers": newest.pk if newest else None,
        }
    return ReplyForm(data, initial=initial, inbound=inbound, canned=active_canned_replies())


def _enquiry_page(
    request: DeskRequest, enquiry_id: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    enquiry = enquiry_for_officer(enquiry_id=enquiry_id)
    officers = access.desk_officers()
    audit.record_reads(
        actor=request.user,
        action=AuditAction.ENQUIRY_VIEWED,
        enquiry_id=enquiry.pk,
        journalist_ids=[enquiry.journalist_id],
    )
    officer_id = int(request.user.pk or 0)  # desk_view let only an officer in
    presence.mark_open(enquiry_id=enquiry.pk, officer_id=officer_id)
    present = presence.others_present(
        enquiry_id=enquiry.pk,
        officer_id=officer_id,
        officer_ids=[officer.pk for officer in officers],
    )
    whole = request.GET.get("thread") == "all"
    thread = enquiry_thread(enquiry_id=enquiry.pk, shown=None if whole else THREAD_SHOWN)
    inbound = [message.body for message in thread.messages if message.direction == "in"]
    text = " ".join([enquiry.topic, enquiry.details, *inbound])
    context = {
        "enquiry": enquiry,
        "thread": thread.messages,
        "thread_earlier": thread.earlier,
        # Only a suggestion: the officer confirms by changing the kind (Edit).
        "foi_signal": foi_signal(text) if enquiry.kind == Enquiry.Kind.PRESS else None,
        # History (changes, in words) and Views (who opened it) are tabs: one is shown,
        # and only its query runs.
        "tab": "views" if request.GET.get("tab") == "views" else "history",
        "history": (
            []
            if request.GET.get("tab") == "views"
            else history_lines(enquiry_history(enquiry_id=enquiry.pk), officers=officers)
        ),
        "views": (
            enquiry_views(enquiry_id=enquiry.pk) if request.GET.get("tab") == "views" else []
        ),
        "message_form": forms.get("message_form") or MessageForm(),
        "assign_form": AssignForm(initial={"officer": enquiry.assigned_to_id}, officers=officers),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": enquiry.status}),
        "routing": getattr(enquiry, "foi_routing", None),
        "case_form": forms.get("case_form") or CaseNumberForm(),
        "foi_alert_minutes": settings.PRESSDESK_FOI_ALERT_MINUTES,
        "clocks": enquiry_clocks(enquiry),
        "also_open": [officer for officer in officers if officer.pk in present],
        "presence_seconds": presence.HEARTBEAT_SECONDS,
        "outgoing_mail": [
            (mail, outbox.may_have_gone_out(mail)) for mail in outgoing_mail(enquiry_id=enquiry.pk)
        ],
        "reply_form": forms.get("reply_form") or reply_form(request, enquiry, thread.messages),
        "mail_may_have_gone_out": outbox.MAY_HAVE_GONE_OUT,
        "signature": canned.fill(desk_settings().signature, enquiry=None, officer=request.user),
    }
    return render(request, "enquiries/desk/enquiry.html", context, status=status)


@desk_view
@require_safe
def enquiry(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    return _enquiry_page(request, enquiry_id)


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def enquiry_edit(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    categories = topic_categories()
    initial = {
        "received_at": current.received_at,
        "channel": current.channel,
        "kind": current.kind,
        "outlet_name": current.outlet.name if current.outlet else "",
        "topic": current.topic,
        "details": current.details,
        "topic_category": current.topic_category_id,
        "deadline": current.deadline,
        "opted_out": current.opted_out,
    }
    form = EnquiryEditForm(request.POST or None, initial=initial, categories=categories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with form_errors(form) as outcome:
            handling.update_enquiry(
                enquiry_id=current.pk,
                by=request.user,
                received_at=unless_same_minute(data["received_at"], current.received_at),
                channel=data["channel"],
                kind=data["kind"],
                outlet_name=data["outlet_name"],
                topic=data["topic"],
                details=data["details"],
                topic_category=next(
                    (c for c in categories if c.pk == data["topic_category"]), None
                ),
                deadline=unless_same_minute(data["deadline"], current.deadline),
                opted_out=data["opted_out"],
            )
        if outcome.ok:
            messages.success(request, _("Changes saved."))
            return redirect("desk:enquiry", enquiry_id=current.pk)
    if request.method != "POST":  # the form shows what is held: a read
        audit.record_reads(
            actor=request.user,
            action=AuditAction.ENQUIRY_VIEWED,
            enquiry_id=current.pk,
            journalist_ids=[current.journalist_id],
            detail={"page": "edit"},
        )
    return render(
        request,
        "enquiries/desk/enquiry_edit.html",
        {"enquiry": current, "form": form, "datetime_format": DATETIME_FORMAT},
        status=400 if form.is_bound and form.errors else 200,
    )


@desk_view
@require_POST
def enquiry_message(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        with form_errors(form) as outcome:
            handling.add_message(enquiry_id=current.pk, by=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Added to the thread."))
            return redirect("desk:enquiry", enquiry_id=current.pk)
    return _enquiry_page(request, current.pk, status=400, message_form=form)


@desk_view
@require_POST
def enquiry_assign(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    if "me" in request.POST:
        officer_id = request.user.pk
    else:
        form = AssignForm(request.POST, officers=access.desk_officers())
        if not form.is_valid():
            messages.error(request, _("Choose an officer from the list."))
            return redirect("desk:enquiry", enquiry_id=current.pk)
        officer_id = form.cleaned_data["officer"]
    handling.assign(enquiry_id=current.pk, officer_id=officer_id, by=request.user)
    messages.success(request, _("Assignment saved."))
    return redirect("desk:enquiry", enquiry_id=current.pk)


@desk_view
@require_POST
def enquiry_status(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        with form_errors(form, field="status") as outcome:
            handling.change_status(
                enquiry_id=current.pk, status=form.cleaned_data["status"], by=request.user
            )
        if outcome.ok:
            messages.success(request, _("Status changed."))
            return redirect("desk:enquiry", enquiry_id=current.pk)
    return _enquiry_page(request, current.pk, status=400, status_form=form)


@desk_view
@require_POST
def enquiry_reclassify(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    """The officer confirms the desk's suggestion: kind FOI, forwarded to the post registry."""
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    with flash_errors(request) as outcome:
        handling.update_enquiry(enquiry_id=current.pk, by=request.user, kind=Enquiry.Kind.FOI)
    if outcome.ok:
        messages.success(request, _("Reclassified as a request for access: it is being forwarded."))
    return redirect("desk:enquiry", enquiry_id=current.pk)


def _routing_of(enquiry: Enquiry) -> Any:
    routing = getattr(enquiry, "foi_routing", None)
    if routing is None:
        raise Http404
    return routing


@desk_view
@require_POST
def enquiry_accept_form_details(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    """Put what the public form gave onto the journalist's card (one click, audited)."""
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    with flash_errors(request) as outcome:
        contacts.accept_form_details(enquiry_id=current.pk, by=request.user)
    if outcome.ok:
        messages.success(request, _("The details from the form are on the journalist's card."))
    return redirect("desk:enquiry", enquiry_id=current.pk)


@desk_view
@require_POST
def routing_release(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    routing = _routing_of(enquiry_for_officer(enquiry_id=enquiry_id))
    if foi_routing.release_held(routing_id=routing.pk, by=request.user):
        messages.success(request, _("Forwarding to the post registry."))
    else:
        messages.error(request, _("This request is not waiting for confirmation."))
    return redirect("desk:enquiry", enquiry_id=enquiry_id)


@desk_view
@require_POST
def routing_retry(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    routing = _routing_of(enquiry_for_officer(enquiry_id=enquiry_id))
    # One that may have gone out is refused here: it is confirmed under "Outgoing mail".
    with flash_errors(request) as outcome:
        retried = foi_routing.retry_now(routing_id=routing.pk, by=request.user)
    if not outcome.ok:
        return redirect("desk:enquiry", enquiry_id=enquiry_id)
    if retried:
        messages.success(request, _("Forwarding again."))
    else:
        messages.error(request, _("Only a failed forwarding can be retried."))
    return redirect("desk:enquiry", enquiry_id=enquiry_id)


@desk_view
@require_POST
def mail_retry(request: DeskRequest, enquiry_id: int, mail_id: int) -> HttpResponse:
    """An officer's "retry" on one of the enquiry's failed mails; one that may have gone out
    needs the confirmation box (the page shows the evidence beside it)."""
    enquiry = enquiry_for_officer(enquiry_id=enquiry_id)
    mail = enquiry_mail(enquiry_id=enquiry.pk, mail_id=mail_id)
    if mail is None:
        raise Http404
    with flash_errors(request) as outcome:
        retried = outbox.retry(email_id=mail.pk, confirmed=request.POST.get("confirm") == "on")
    if outcome.ok:
        if retried:
            messages.success(request, _("The mail is queued again."))
        else:
            messages.error(request, _("Only a failed mail can be retried."))
    return redirect("desk:enquiry", enquiry_id=enquiry_id)


@desk_view
@require_POST
def routing_case_number(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    routing = _routing_of(enquiry_for_officer(enquiry_id=enquiry_id))
    form = CaseNumberForm(request.POST)
    if form.is_valid():
        with form_errors(form) as outcome:
            foi_routing.record_case_number(
                routing_id=routing.pk, case_number=form.cleaned_data["case_number"], by=request.user
            )
        if outcome.ok:
            messages.success(request, _("Case number saved."))
            return redirect("desk:enquiry", enquiry_id=enquiry_id)
    return _enquiry_page(request, enquiry_id, status=400, case_form=form)
