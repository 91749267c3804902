"""Replying to the journalist from the enquiry page (handling.replies holds the rules)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enquiries.forms.replies import INSERT, SEND_AND_ANSWER
from enquiries.handling import canned, replies
from enquiries.queue.records import enquiry_thread
from enquiries.views.enquiry import _enquiry_page, reply_form
from enquiries.views.errors import form_errors
from enquiries.views.guards import DeskRequest, desk_view, enquiry_for_officer


@desk_view
@require_POST
def enquiry_reply(request: DeskRequest, enquiry_id: int) -> HttpResponse:
    """Send the reply (and mark the enquiry answered, if asked), or put a canned reply into
    its text ("insert": the page again, nothing sent)."""
    current = enquiry_for_officer(enquiry_id=enquiry_id)
    thread = enquiry_thread(enquiry_id=current.pk).messages
    form = reply_form(request, current, thread, data=request.POST)
    if not form.is_valid():
        return _enquiry_page(request, current.pk, status=400, reply_form=form)
    data = form.cleaned_data
    if data["action"] == INSERT:
        with form_errors(form, field="canned") as outcome:
            text = canned.canned_text(
                canned_id=data["canned"], enquiry=current, officer=request.user
            )
        if not outcome.ok:
            return _enquiry_page(request, current.pk, status=400, reply_form=form)
        written = data["body"].strip()
        initial = {
            **{name: request.POST.get(name, "") for name in ("cc", "subject", "key")},
            "answers": data["answers"],
            "canned": data["canned"],
            "body": f"{written}\n\n{text}" if written else text,
        }
        return _enquiry_page(
            request, current.pk, reply_form=reply_form(request, current, thread, initial=initial)
        )
    answered = data["action"] == SEND_AND_ANSWER
    with form_errors(form) as outcome:
        replies.send_reply(
            enquiry_id=current.pk,
            by=request.user,
            key=data["key"],
            subject=data["subject"],
            body=data["body"],
            cc=data["cc"],
            answers_id=data["answers"],
            mark_answered=answered,
        )
    if not outcome.ok:
        return _enquiry_page(request, current.pk, status=400, reply_form=form)
    if answered:
        messages.success(request, _("The reply is on its way, and the enquiry is answered."))
    else:
        messages.success(request, _("The reply is on its way."))
    return redirect(reverse("desk:enquiry", args=[current.pk]) + "#thread")
