"""/desk/journalists/: the directory of contacts, by name, with a search (POST)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from enquiries.core import audit
from enquiries.forms.people import DirectoryPageForm, DirectorySearchForm
from enquiries.models import AuditAction
from enquiries.queue.directory import DirectoryPage, directory_page
from enquiries.views.guards import DeskRequest, desk_view


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def journalist_directory(request: DeskRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = DirectorySearchForm(request.POST)
        if form.is_valid():
            page = directory_page(text=form.cleaned_data["q"], after=form.cleaned_data["after"])
        else:
            page, status = DirectoryPage(rows=[], next_after=None), 400
    else:
        form = DirectorySearchForm()
        paging = DirectoryPageForm(request.GET)
        after = paging.cleaned_data["after"] if paging.is_valid() else None
        page = directory_page(after=after)
    # Names, addresses and numbers were shown: one audit event listing them by id.
    audit.record_reads(
        actor=request.user,
        action=AuditAction.JOURNALIST_LISTED,
        journalist_ids=[journalist.pk for journalist in page.rows],
    )
    return render(
        request,
        "enquiries/desk/journalists.html",
        {
            "form": form,
            "page": page,
            "searching": form.is_bound and status == 200,
        },
        status=status,
    )
