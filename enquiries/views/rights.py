"""The desk's privacy work: erasure and export from the journalist card, rights requests on
the clock, and standing opt-outs registered by an officer."""

import json
from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enquiries.forms.rights import (
    CardRequestForm,
    ErasureForm,
    ExportForm,
    ExtensionForm,
    OptOutForm,
    RightsRequestForm,
)
from enquiries.privacy.card_requests import Requester, erase_on_request, export_on_request
from enquiries.privacy.csv_safe import to_csv
from enquiries.privacy.export_formats import CSV_HEADER, csv_rows
from enquiries.privacy.opt_out import register_standing_opt_out, withdraw_standing_opt_out
from enquiries.privacy.rights import (
    complete_rights_request,
    extend_rights_request,
    open_rights_request,
)
from enquiries.queue.rights_list import rights_counts, rights_requests
from enquiries.views.errors import flash_errors
from enquiries.views.guards import DeskRequest, desk_view, journalist_for_officer


def _requester(form: CardRequestForm) -> Requester:
    data = form.cleaned_data
    return Requester(
        request_id=data["request"],
        channel=data["channel"],
        name=data["requester_name"],
        identity_check=data["identity_check"],
    )


def _refused(request: HttpRequest, form: forms.Form, journalist_id: int) -> HttpResponse:
    """A bad card form: its messages on the card (nothing was done), by field label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("desk:journalist", journalist_id=journalist_id)


@desk_view
@require_POST
def journalist_export(request: DeskRequest, journalist_id: int, fmt: str) -> HttpResponse:
    """Everything held about the contact, as a download, answering an access request (the
    export is audited and the request completed)."""
    if fmt not in ("json", "csv"):
        raise Http404
    journalist = journalist_for_officer(journalist_id=journalist_id)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, journalist.pk)
    with flash_errors(request) as outcome:
        export, _request = export_on_request(
            journalist_id=journalist.pk, requester=_requester(form), by=request.user
        )
    if not outcome.ok:
        return redirect("desk:journalist", journalist_id=journalist.pk)
    if fmt == "csv":
        body, content_type = to_csv(CSV_HEADER, csv_rows(export)), "text/csv; charset=utf-8"
        body = "\ufeff" + body  # a BOM, so spreadsheet programs read the UTF-8 right
    else:
        body = json.dumps(export, ensure_ascii=False, indent=2)
        content_type = "application/json; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    # The file name carries the id only, never the name.
    response["Content-Disposition"] = f'attachment; filename="contact-{journalist.pk}.{fmt}"'
    return response


@desk_view
@require_POST
def journalist_erase(request: DeskRequest, journalist_id: int) -> HttpResponse:
    journalist = journalist_for_officer(journalist_id=journalist_id)
    form = ErasureForm(request.POST, expected=journalist.last_name)
    if not form.is_valid():
        return _refused(request, form, journalist.pk)
    with flash_errors(request) as outcome:
        receipt, rights_request = erase_on_request(
            journalist_id=journalist.pk, requester=_requester(form), by=request.user
        )
    if not outcome.ok:
        return redirect("desk:journalist", journalist_id=journalist.pk)
    messages.success(
        request,
        _(
            "Erased. Receipt %(receipt)s: %(journalists)s contact(s), %(enquiries)s enquiries "
            "emptied, %(messages)s messages removed. Rights request %(request)s is done."
        )
        % {
            "receipt": receipt.pk,
            "journalists": receipt.journalists,
            "enquiries": receipt.enquiries,
            "messages": receipt.messages,
            "request": rights_request.pk,
        },
    )
    return redirect("desk:rights")


def _rights_page(request: HttpRequest, *, status: int = 200, **forms: object) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "requests": rights_requests(today=today),
        "counts": rights_counts(today=today),
        "request_form": RightsRequestForm(initial={"received_on": today}),
        "opt_out_form": OptOutForm(),
        "extension_form": ExtensionForm(),
        **forms,
    }
    return render(request, "enquiries/desk/rights.html", context, status=status)


@desk_view
@require_safe
def rights(request: HttpRequest) -> HttpResponse:
    return _rights_page(request)


@desk_view
@require_POST
def rights_new(request: DeskRequest) -> HttpResponse:
    form = RightsRequestForm(request.POST)
    if not form.is_valid():
        return _rights_page(request, status=400, request_form=form)
    data = form.cleaned_data
    received = timezone.make_aware(datetime.combine(data["received_on"], time.min))
    open_rights_request(
        by=request.user,
        kind=data["kind"],
        channel=data["channel"],
        received_at=min(received, timezone.now()),
        email=data["email"] or None,
        phone=data["phone"] or None,
        requester_name=data["requester_name"],
        identity_check=data["identity_check"],
    )
    messages.success(request, _("The request is registered."))
    return redirect("desk:rights")


@desk_view
@require_POST
def rights_extend(request: DeskRequest, request_id: int) -> HttpResponse:
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return _rights_page(request, status=400, extension_form=form)
    with flash_errors(request):  # a missing id in the path is a 404, as everywhere
        extend_rights_request(
            request_id=request_id,
            by=request.user,
            months=form.cleaned_data["months"],
            reason=form.cleaned_data["reason"],
            requester_told_at=form.cleaned_data["told_on"],
        )
    return redirect("desk:rights")


@desk_view
@require_POST
def rights_complete(request: DeskRequest, request_id: int) -> HttpResponse:
    with flash_errors(request):  # a missing id in the path is a 404, as everywhere
        complete_rights_request(request_id=request_id, by=request.user)
    return redirect("desk:rights")


@desk_view
@require_POST
def opt_out(request: DeskRequest) -> HttpResponse:
    form = OptOutForm(request.POST)
    if not form.is_valid():
        return _rights_page(request, status=400, opt_out_form=form)
    contact = {
        "email": form.cleaned_data["email"] or None,
        "phone": form.cleaned_data["phone"] or None,
    }
    if form.cleaned_data["withdraw"]:
        withdraw_standing_opt_out(by=request.user, **contact)
        messages.success(request, _("The standing opt-out is withdrawn."))
    else:
        register_standing_opt_out(by=request.user, **contact)
        messages.success(request, _("The standing opt-out is registered."))
    return redirect("desk:rights")
