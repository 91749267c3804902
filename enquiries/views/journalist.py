"""The journalist card: edit, merge (pick, choose side by side, confirm)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from enquiries import access
from enquiries.core import audit
from enquiries.core.errors import CannotMergeWithItself
from enquiries.core.normalise import display_phone
from enquiries.forms.desk import (
    DUPLICATE,
    KEEP,
    MERGE_FIELDS,
    JournalistForm,
    MergeChoiceForm,
    MergeForm,
)
from enquiries.forms.rights import ErasureForm, ExportForm
from enquiries.handling import contacts
from enquiries.models import AuditAction, Journalist, RightsRequest
from enquiries.privacy.reads import READS_WINDOW, journalist_readers
from enquiries.queue.directory import journalist_rights_requests, merge_counts
from enquiries.queue.listing import Cursor
from enquiries.queue.records import journalist_card, journalist_enquiries, merge_candidates
from enquiries.views.errors import flash_errors, form_errors
from enquiries.views.guards import DeskRequest, desk_view, journalist_for_officer


@desk_view
@require_safe
def journalist(request: HttpRequest, journalist_id: int) -> HttpResponse:
    contact = journalist_for_officer(journalist_id=journalist_id)
    after = Cursor.decode(request.GET.get("after", ""))
    page = journalist_enquiries(journalist_id=contact.pk, after=after)
    requests = journalist_rights_requests(journalist_id=contact.pk)
    open_requests = [r for r in requests if r.status == RightsRequest.Status.OPEN]
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
            "rights_requests": requests,
            "export_form": ExportForm(open_requests=open_requests, auto_id="export_%s"),
            "erasure_form": ErasureForm(
                open_requests=open_requests, expected="", auto_id="erase_%s"
            ),
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


def _shown(contact: Journalist, name: str) -> str:
    value = getattr(contact, name)
    if name == "outlet":
        return value.name if value else ""
    if name in ("phone", "mobile"):
        return display_phone(value)
    return value or ""


def _merge_rows(keep: Journalist, duplicate: Journalist, form: MergeChoiceForm) -> list[dict]:
    """One row per field: both values, whether they differ, the officer's radio choice, and
    what the merged card gets and loses under the form's current choice."""
    taken = set(form.taken()) if form.is_bound and form.is_valid() else set()
    rows = []
    for name, label in MERGE_FIELDS.items():
        kept, other = _shown(keep, name), _shown(duplicate, name)
        result, lost = (other, kept) if name in taken else (kept, other)
        rows.append(
            {
                "name": name,
                "label": label,
                "keep": kept,
                "duplicate": other,
                "same": kept == other,
                "field": form[name],
                "result": result,
                "lost": lost if lost != result else "",
            }
        )
    return rows


def _merge_defaults(keep: Journalist, duplicate: Journalist) -> dict[str, str]:
    """This card's value, unless it is blank and the duplicate has one."""
    return {
        name: DUPLICATE if not getattr(keep, name) and getattr(duplicate, name) else KEEP
        for name in MERGE_FIELDS
    }


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def journalist_merge(request: DeskRequest, journalist_id: int) -> HttpResponse:
    """Three steps: pick the duplicate; choose field by field with both cards side by side;
    confirm the result (what is kept and what goes) before anything changes."""
    contact = journalist_for_officer(journalist_id=journalist_id)
    data = request.POST if request.method == "POST" else request.GET
    pick = MergeForm(data if "duplicate" in data else None)
    duplicate = None
    if pick.is_bound and pick.is_valid():
        duplicate = journalist_card(journalist_id=pick.cleaned_data["duplicate"])
        if duplicate is None:
            pick.add_error("duplicate", _("No contact has that number."))
        elif duplicate.pk == contact.pk:
            pick.add_error("duplicate", str(CannotMergeWithItself()))
            duplicate = None
    if duplicate is None:
        candidates = merge_candidates(journalist=contact)
        audit.record_reads(
            actor=request.user,
            action=AuditAction.JOURNALIST_LISTED,
            journalist_id=contact.pk,
            journalist_ids=[candidate.pk for candidate in candidates],
        )
        return render(
            request,
            "enquiries/desk/journalist_merge_pick.html",
            {"journalist": contact, "candidates": candidates, "form": pick},
            status=400 if pick.is_bound else 200,
        )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("review", "confirm", "change"):  # "change": back to step 2, choices kept
        form = MergeChoiceForm(request.POST)
    else:
        form = MergeChoiceForm(
            initial={"duplicate": duplicate.pk, **_merge_defaults(contact, duplicate)}
        )
    valid = form.is_bound and form.is_valid()
    if valid and action == "confirm":
        with flash_errors(request) as outcome:
            contacts.merge_journalists(
                keep_id=contact.pk, duplicate_id=duplicate.pk, by=request.user, take=form.taken()
            )
        if outcome.ok:
            messages.success(request, _("The duplicate was merged into this contact."))
        return redirect("desk:journalist", journalist_id=contact.pk)
    audit.record_reads(
        actor=request.user,
        action=AuditAction.JOURNALIST_VIEWED,
        journalist_id=contact.pk,
        journalist_ids=[duplicate.pk],
    )
    return render(
        request,
        "enquiries/desk/journalist_merge.html",
        {
            "journalist": contact,
            "duplicate": duplicate,
            "form": form,
            "rows": _merge_rows(contact, duplicate, form),
            "confirming": valid and action == "review",
            "counts": merge_counts(keep_id=contact.pk, duplicate_id=duplicate.pk),
        },
        status=400 if form.is_bound and not valid else 200,
    )
