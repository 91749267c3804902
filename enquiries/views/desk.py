"""The officer desk under /desk/: thin views over enquiries.selectors and the services.

Every view is wrapped in `desk_view` (login, then the press-officer permission) and fetches
through `_access`. Searches and suggestions are POSTed, so what an officer types (names,
addresses, numbers) never lands in a URL, a browser history or an access log.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enquiries import access, selectors
from enquiries.desk_forms import (
    ASSIGNED_MINE,
    ASSIGNED_NONE,
    DATETIME_FORMAT,
    AssignForm,
    CaseNumberForm,
    EnquiryEditForm,
    JournalistForm,
    LogCallForm,
    MergeForm,
    MessageForm,
    QueueFilterForm,
    SearchForm,
    StatusForm,
)
from enquiries.errors import PressdeskError
from enquiries.foi_detection import foi_signal
from enquiries.models import AuditAction, Enquiry
from enquiries.normalise import display_phone
from enquiries.services import audit, contacts, foi_routing, handling
from enquiries.services import desk as desk_services
from enquiries.views._access import desk_view, enquiry_for_officer, journalist_for_officer


def _apply_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def _unless_same_minute(new: Any, old: Any) -> Any:
    """A datetime-local field shows minutes only: an unchanged one keeps its seconds."""
    if new is not None and old is not None and new == old.replace(second=0, microsecond=0):
        return old
    return new


def _filters(request: HttpRequest, data: Any) -> tuple[QueueFilterForm, selectors.QueueFilters]:
    officers, categories = selectors.queue_filter_choices()
    form = QueueFilterForm(data, officers=officers, categories=categories)
    form.is_valid()  # invalid values are ignored, one by one, never a 500
    clean = form.cleaned_data
    assigned = clean.get("assigned") or ""
    filters = selectors.QueueFilters(
        status=clean.get("status") or "",
        kind=clean.get("kind") or "",
        channel=clean.get("channel") or "",
        mine_of=request.user.pk if assigned == ASSIGNED_MINE else None,
        unassigned=assigned == ASSIGNED_NONE,
        assigned_to=int(assigned) if assigned.isdigit() else None,
        topic_category=clean.get("category"),
        received_from=clean.get("received_from"),
        received_to=clean.get("received_to"),
        overdue=bool(clean.get("overdue")),
    )
    return form, filters


@desk_view
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    filter_form, filters = _filters(request, request.GET)
    token = request.GET.get("after", "")
    after = selectors.Cursor.decode(token) if token else None
    page = selectors.desk_queue(filters=filters, after=after)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "enquiries/desk/queue.html",
        {
            "filter_form": filter_form,
            "search_form": SearchForm(),
            "page": page,
            "rows": page.rows,
            "counts": page.counts,
            "filter_query": query.urlencode(),
            "deeper": after is not None,
            "foi_alerts": selectors.unrouted_foi() if page.counts["foi_unrouted"] else [],
        },
    )


@desk_view
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    filter_form, filters = _filters(request, request.POST)
    search_form = SearchForm(request.POST)
    hits: list[selectors.SearchHit] = []
    counts = selectors.queue_counts()
    if search_form.is_valid():
        hits = selectors.search_enquiries(text=search_form.cleaned_data["q"], filters=filters)
    return render(
        request,
        "enquiries/desk/queue.html",
        {
            "filter_form": filter_form,
            "search_form": search_form,
            "hits": hits,
            "searched": True,
            "counts": counts,
            "foi_alerts": selectors.unrouted_foi() if counts["foi_unrouted"] else [],
        },
        status=200 if search_form.is_valid() else 400,
    )


def _suggestion_text(request: HttpRequest) -> str:
    text = request.POST.get("q", "")[:200]
    return "" if any(ord(char) < 32 for char in text) else text


@desk_view
@require_POST
def suggest_journalists(request: HttpRequest) -> JsonResponse:
    found = selectors.journalist_suggestions(text=_suggestion_text(request))
    return JsonResponse(
        {
            "results": [
                {
                    "id": journalist.pk,
                    "label": journalist.full_name,
                    "detail": " · ".join(
                        part
                        for part in (
                            journalist.outlet.name if journalist.outlet else "",
                            journalist.email or "",
                            display_phone(journalist.mobile or journalist.phone),
                        )
                        if part
                    ),
                    "outlet": journalist.outlet.name if journalist.outlet else "",
                }
                for journalist in found
            ]
        }
    )


@desk_view
@require_POST
def suggest_outlets(request: HttpRequest) -> JsonResponse:
    found = selectors.outlet_suggestions(text=_suggestion_text(request))
    return JsonResponse(
        {
            "results": [
                {"id": outlet.pk, "label": outlet.name, "detail": outlet.get_kind_display()}
                for outlet in found
            ]
        }
    )


@desk_view
@require_http_methods(["GET", "POST"])
def log_call(request: HttpRequest) -> HttpResponse:
    categories = selectors.topic_categories()
    form = LogCallForm(request.POST or None, categories=categories)
    matches = []
    valid = request.method == "POST" and form.is_valid()
    # A name typed but no contact picked or added: list the matches rather than save the
    # call without its journalist. Without JavaScript this is what "Find" does.
    unpicked = valid and bool(
        form.cleaned_data["journalist_lookup"]
        and not form.cleaned_data["journalist"]
        and not form.has_new_contact
    )
    if request.method == "POST" and (request.POST.get("action") == "find" or unpicked):
        matches = selectors.journalist_suggestions(
            text=form.cleaned_data.get("journalist_lookup") or ""
        )
        if not matches:
            form.add_error("journalist_lookup", _("No journalist matches; add them below."))
    elif valid:
        data = form.cleaned_data
        new_contact = None
        if not data["journalist"] and form.has_new_contact:
            new_contact = desk_services.NewContact(
                first_name=data["new_first_name"],
                last_name=data["new_last_name"],
                email=data["new_email"],
                phone=data["new_phone"],
                mobile=data["new_mobile"],
            )
        try:
            enquiry = desk_services.log_call(
                by=request.user,
                journalist_id=data["journalist"],
                new_contact=new_contact,
                outlet_name=data["outlet_name"],
                channel=data["channel"],
                topic=data["topic"],
                details=data["details"],
                received_at=data["received_at"],
                deadline=data["deadline"],
                topic_category=next(
                    (c for c in categories if c.pk == data["topic_category"]), None
                ),
                opted_out=data["opted_out"],
                answered=data["answered"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PressdeskError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Enquiry %(reference)s logged.") % {"reference": enquiry.reference}
            )
            return redirect("desk:enquiry", enquiry_id=enquiry.pk)
    chosen = None
    if form.is_bound and not matches and form.cleaned_data.get("journalist"):
        chosen = selectors.journalist_card(journalist_id=form.cleaned_data["journalist"])
    return render(
        request,
        "enquiries/desk/log.html",
        {"form": form, "matches": matches, "chosen": chosen},
        status=400 if form.is_bound and form.errors else 200,
    )


def _enquiry_page(
    request: HttpRequest, enquiry_id: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    enquiry = enquiry_for_officer(enquiry_id=enquiry_id)
    officers = access.desk_officers()
    audit.record(actor=request.user, action=AuditAction.ENQUIRY_VIEWED, enquiry_id=enquiry.pk)
    thread = list(enquiry.messages.all())
    inbound = [message.body for message in thread if message.direction == "in"]
    text = " ".join([enquiry.topic, enquiry.details, *inbound])
    context = {
        "enquiry": enquiry,
        "thread": thread,
        # Only a suggestion: the officer confirms by changing the kind (Edit).
        "foi_signal": foi_signal(text) if enquiry.kind == Enquiry.Kind.PRESS else None,
        "history": selectors.enquiry_history(enquiry_id=enquiry.pk),
        "message_form": forms.get("message_form") or MessageForm(),
        "assign_form": AssignForm(initial={"officer": enquiry.assigned_to_id}, officers=officers),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": enquiry.status}),
        "routing": getattr(enquiry, "foi_routing", None),
        "case_form": forms.get("case_form") or CaseNumberForm(),
        "foi_alert_minutes": settings.PRESSDESK_FOI_ALERT_MINUTES,
    }
    return render(request, "enquiries/desk/enquiry.html", context, status=status)


@desk_view
@require_GET
def enquiry(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    return _enquiry_page(request, enquiry_id)


@desk_view
@require_http_methods(["GET", "POST"])
def enquiry_edit(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    categories = selectors.topic_categories()
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
        try:
            with transaction.atomic():
                outlet = (
                    contacts.find_or_create_outlet(name=data["outlet_name"])
                    if data["outlet_name"]
                    else None
                )
                handling.update_enquiry(
                    enquiry_id=current.pk,
                    by=request.user,
                    received_at=_unless_same_minute(data["received_at"], current.received_at),
                    channel=data["channel"],
                    kind=data["kind"],
                    outlet=outlet,
                    topic=data["topic"],
                    details=data["details"],
                    topic_category=next(
                        (c for c in categories if c.pk == data["topic_category"]), None
                    ),
                    deadline=_unless_same_minute(data["deadline"], current.deadline),
                    opted_out=data["opted_out"],
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PressdeskError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("desk:enquiry", enquiry_id=current.pk)
    return render(
        request,
        "enquiries/desk/enquiry_edit.html",
        {"enquiry": current, "form": form, "datetime_format": DATETIME_FORMAT},
        status=400 if form.is_bound and form.errors else 200,
    )


@desk_view
@require_POST
def enquiry_message(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            handling.add_message(enquiry_id=current.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PressdeskError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Added to the thread."))
            return redirect("desk:enquiry", enquiry_id=current.pk)
    return _enquiry_page(request, current.pk, status=400, message_form=form)


@desk_view
@require_POST
def enquiry_assign(request: HttpRequest, enquiry_id: int) -> HttpResponse:
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
def enquiry_status(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            handling.change_status(
                enquiry_id=current.pk, status=form.cleaned_data["status"], by=request.user
            )
        except PressdeskError as exc:
            form.add_error("status", str(exc))
        else:
            messages.success(request, _("Status changed."))
            return redirect("desk:enquiry", enquiry_id=current.pk)
    return _enquiry_page(request, current.pk, status=400, status_form=form)


@desk_view
@require_GET
def journalist(request: HttpRequest, journalist_id: int) -> HttpResponse:
    contact = journalist_for_officer(journalist_id=journalist_id)
    audit.record(actor=request.user, action=AuditAction.JOURNALIST_VIEWED, journalist_id=contact.pk)
    return render(
        request,
        "enquiries/desk/journalist.html",
        {
            "journalist": contact,
            "enquiries": selectors.journalist_enquiries(journalist_id=contact.pk),
            "candidates": selectors.merge_candidates(journalist=contact),
            "merge_form": MergeForm(),
        },
    )


@desk_view
@require_http_methods(["GET", "POST"])
def journalist_edit(request: HttpRequest, journalist_id: int) -> HttpResponse:
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
        data = dict(form.cleaned_data)
        outlet_name = data.pop("outlet_name")
        try:
            with transaction.atomic():
                outlet = contacts.find_or_create_outlet(name=outlet_name) if outlet_name else None
                contacts.update_journalist(
                    journalist_id=contact.pk, by=request.user, outlet=outlet, **data
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PressdeskError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, _("Contact saved."))
            return redirect("desk:journalist", journalist_id=contact.pk)
    return render(
        request,
        "enquiries/desk/journalist_edit.html",
        {"journalist": contact, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@desk_view
@require_POST
def journalist_merge(request: HttpRequest, journalist_id: int) -> HttpResponse:
    contact = journalist_for_officer(journalist_id=journalist_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the duplicate to merge."))
        return redirect("desk:journalist", journalist_id=contact.pk)
    try:
        contacts.merge_journalists(
            keep_id=contact.pk, duplicate_id=form.cleaned_data["duplicate"], by=request.user
        )
    except PressdeskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The duplicate was merged into this contact."))
    return redirect("desk:journalist", journalist_id=contact.pk)


# --- FOI requests (rule 6) -------------------------------------------------------------------


@desk_view
@require_POST
def enquiry_reclassify(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    """The officer confirms the desk's suggestion: kind FOI, forwarded to the post registry."""
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    try:
        handling.update_enquiry(enquiry_id=current.pk, by=request.user, kind=Enquiry.Kind.FOI)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Reclassified as a request for access: it is being forwarded."))
    return redirect("desk:enquiry", enquiry_id=current.pk)


def _routing_of(enquiry: Enquiry) -> Any:
    routing = getattr(enquiry, "foi_routing", None)
    if routing is None:
        raise Http404
    return routing


@desk_view
@require_POST
def routing_retry(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    routing = _routing_of(enquiry_for_officer(enquiry_id=enquiry_id))
    if foi_routing.retry_now(routing_id=routing.pk, by=request.user):
        messages.success(request, _("Forwarding again."))
    else:
        messages.error(request, _("Only a failed forwarding can be retried."))
    return redirect("desk:enquiry", enquiry_id=enquiry_id)


@desk_view
@require_POST
def routing_case_number(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    routing = _routing_of(enquiry_for_officer(enquiry_id=enquiry_id))
    form = CaseNumberForm(request.POST)
    if form.is_valid():
        try:
            foi_routing.record_case_number(
                routing_id=routing.pk, case_number=form.cleaned_data["case_number"], by=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Case number saved."))
            return redirect("desk:enquiry", enquiry_id=enquiry_id)
    return _enquiry_page(request, enquiry_id, status=400, case_form=form)
