"""Quick logging of a call, by keyboard."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enquiries.forms.desk import LogCallForm
from enquiries.intake import desk_log as desk_services
from enquiries.queue.listing import topic_categories
from enquiries.queue.records import journalist_card
from enquiries.queue.suggestions import journalist_suggestions
from enquiries.views.errors import form_errors
from enquiries.views.guards import DeskRequest, desk_view


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def log_call(request: DeskRequest) -> HttpResponse:
    categories = topic_categories()
    form = LogCallForm(request.POST or None, categories=categories)
    matches = []
    valid = request.method == "POST" and form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    # A name typed but no contact picked or added: list the matches rather than save the
    # call without its journalist, and nothing in the list is chosen until the officer
    # chooses. Without JavaScript, Enter in the name field lands here, and so does "Find".
    unpicked = form.is_bound and bool(
        data.get("journalist_lookup")
        and not data.get("journalist")
        and not data.get("new_first_name")
    )
    finding = request.method == "POST" and request.POST.get("action") == "find"
    if finding or unpicked:
        matches = journalist_suggestions(text=data.get("journalist_lookup") or "")
        if not matches:
            form.add_error("journalist_lookup", _("No journalist matches; add them below."))
        elif not finding:
            form.add_error(
                "journalist",
                _("Choose the journalist from the list, add a new one below, or clear the name."),
            )
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
        with form_errors(form) as outcome:
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
        if outcome.ok:
            messages.success(
                request, _("Enquiry %(reference)s logged.") % {"reference": enquiry.reference}
            )
            return redirect("desk:enquiry", enquiry_id=enquiry.pk)
    chosen = None
    if form.is_bound and not matches and form.cleaned_data.get("journalist"):
        chosen = journalist_card(journalist_id=form.cleaned_data["journalist"])
    return render(
        request,
        "enquiries/desk/log.html",
        {"form": form, "matches": matches, "chosen": chosen},
        status=400 if form.is_bound and form.errors else 200,
    )
