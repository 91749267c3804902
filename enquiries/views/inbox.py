"""The holding pen (/desk/inbox/) and attachment downloads: officers only, reads audited."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enquiries.core import audit
from enquiries.foi.detection import foi_signal
from enquiries.forms.inbox import AttachForm
from enquiries.intake import holding_pen
from enquiries.intake.mail_text import split_quoted
from enquiries.models import AuditAction
from enquiries.views.errors import flash_errors
from enquiries.views.guards import DeskRequest, desk_view


@desk_view
@require_safe
def inbox(request: DeskRequest) -> HttpResponse:
    held = list(holding_pen.held_mail()[: holding_pen.PAGE])
    audit.record(
        actor=request.user, action=AuditAction.HELD_MAIL_VIEWED,
        detail={"held_mail": [mail.pk for mail in held]},
    )  # fmt: skip
    rows = [
        {
            "mail": mail,
            "text": split_quoted(mail.body),
            "foi_signal": foi_signal(f"{mail.subject} {mail.body}"),
        }
        for mail in held
    ]
    return render(request, "enquiries/desk/inbox.html", {"rows": rows, "form": AttachForm()})


@desk_view
@require_POST
def inbox_attach(request: DeskRequest, held_id: int) -> HttpResponse:
    form = AttachForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reference", []):
            messages.error(request, str(error))
        return redirect("desk:inbox")
    with flash_errors(request) as outcome:
        enquiry = holding_pen.attach_to_enquiry(
            held_id=held_id, reference=form.cleaned_data["reference"], by=request.user
        )
    if not outcome.ok:
        return redirect("desk:inbox")
    messages.success(request, _("The mail is in the enquiry's thread."))
    return redirect("desk:enquiry", enquiry_id=enquiry.pk)


@desk_view
@require_POST
def inbox_enquiry(request: DeskRequest, held_id: int) -> HttpResponse:
    enquiry = holding_pen.make_enquiry(held_id=held_id, by=request.user)
    messages.success(request, _("A new enquiry was made of the mail."))
    return redirect("desk:enquiry", enquiry_id=enquiry.pk)


@desk_view
@require_POST
def inbox_discard(request: DeskRequest, held_id: int) -> HttpResponse:
    holding_pen.discard(held_id=held_id, by=request.user)
    messages.success(request, _("The mail was discarded."))
    return redirect("desk:inbox")


@desk_view
@require_safe
def attachment(request: DeskRequest, attachment_id: int) -> HttpResponse:
    """Always a download, never shown inline: the browser runs nothing a sender sent."""
    found = holding_pen.attachment_for_officer(attachment_id=attachment_id, by=request.user)
    if found is None or found.content is None:
        raise Http404
    response = HttpResponse(bytes(found.content), content_type="application/octet-stream")
    response["Content-Disposition"] = _disposition(found.filename)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
