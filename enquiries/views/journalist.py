"""The journalist card: edit, merge."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from enquiries import access
from enquiries.core import audit
from enquiries.forms.desk import JournalistForm, MergeForm
from enquiries.handling import contacts
from enquiries.models import AuditAction
from enquiries.privacy.reads import READS_WINDOW, journalist_readers
from enquiries.queue.listing import Cursor
from enquiries.queue.records import journalist_enquiries, merge_candidates
from enquiries.views.errors import flash_errors, form_errors
from enquiries.views.guards import DeskRequest, desk_view, journalist_for_officer


@desk_view
@require_safe
def journalist(request: HttpRequest, journalist_id: int) -> HttpResponse:
    contact = journalist_for_officer(journalist_id=journalist_id)
    after = Cursor.decode(request.GET.get("after", ""))
    page = journalist_enquiries(journalist_id=contact.pk, after=after)
    candidates = merge_candidates(journalist=contact)
    audit.record_reads(
        actor=request.user,
        action=AuditAction.JOURNALIST_VIEWED,
        journalist_id=contact.pk,
        enquiry_ids=[row.pk for row in page.rows],
        journalist_ids=[candidate.pk for candidate in candidates],  # with their addresses
    )
    return render(
        request,
        "enquiries/desk/journalist.html",
        {
            "journalist": contact,
            "enquiries": page.rows,
            "next_cursor": page.next_cursor,
            "candidates": candidates,
            "merge_form": MergeForm(),
            # Who has read this contact: for auditors only (watching colleagues is a read
            # of its own kind, and a press office need not see it every day).
            "readers": journalist_readers(journalist_id=contact.pk)
            if access.may_see_reads(request.user)
            else None,
            "readers_days": READS_WINDOW.days,
        },
    )


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def journalist_edit(request: DeskRequest, journalist_id: int) -> HttpResponse:
    contact = journalist_for_officer(journalist_id=journalist_id)
    initial = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email or "",
        "phone": contact.phone,
        "mobile": contact.mobile,
        "outlet_name": contact.outlet.name if contact.outlet else "",
    }
    form = JournalistForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, field="email") as outcome:
            contacts.update_journalist(
                journalist_id=contact.pk, by=request.user, **form.cleaned_data
            )
        if outcome.ok:
            messages.success(request, _("Contact saved."))
            return redirect("desk:journalist", journalist_id=contact.pk)
    if request.method != "POST":  # the form shows what is held: a read
        audit.record_reads(
            actor=request.user,
            action=AuditAction.JOURNALIST_VIEWED,
            journalist_id=contact.pk,
            detail={"page": "edit"},
        )
    return render(
        request,
        "enquiries/desk/journalist_edit.html",
        {"journalist": contact, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@desk_view
@require_POST
def journalist_merge(request: DeskRequest, journalist_id: int) -> HttpResponse:
    contact = journalist_for_officer(journalist_id=journalist_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the duplicate to merge."))
        return redirect("desk:journalist", journalist_id=contact.pk)
    with flash_errors(request) as outcome:
        contacts.merge_journalists(
            keep_id=contact.pk, duplicate_id=form.cleaned_data["duplicate"], by=request.user
        )
    if outcome.ok:
        messages.success(request, _("The duplicate was merged into this contact."))
    return redirect("desk:journalist", journalist_id=contact.pk)
