"""The queue and search."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from enquiries.core import audit
from enquiries.forms.desk import SearchForm
from enquiries.handling.duty import current_shift
from enquiries.models import AuditAction
from enquiries.queue.listing import Cursor, desk_queue, queue_counts, unrouted_foi
from enquiries.queue.searching import SearchResults, search_enquiries
from enquiries.views.common import queue_filters
from enquiries.views.guards import desk_view


@desk_view
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    filter_form, filters = queue_filters(request, request.GET)
    token = request.GET.get("after", "")
    after = Cursor.decode(token) if token else None
    page = desk_queue(filters=filters, after=after)
    audit.record_reads(
        actor=request.user,
        action=AuditAction.QUEUE_LISTED,
        enquiry_ids=[row.pk for row in page.rows],
        journalist_ids=[row.journalist_id for row in page.rows],
    )
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
            "foi_alerts": unrouted_foi() if page.counts["foi_unrouted"] else [],
            "duty_shift": current_shift(),
        },
    )


def _page_number(value: str) -> int:
    """Any positive number (the search clamps it to the last page); anything else is 1."""
    return int(value[:9]) if value.isdigit() else 1


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """A GET that can be bookmarked: /desk/search/?q=…&page=…&(filters). A POST (old links
    and forms) is redirected to the same GET."""
    if request.method == "POST":
        query = request.POST.copy()
        query.pop("csrfmiddlewaretoken", None)
        response = redirect(f"{reverse('desk:search')}?{query.urlencode()}")
        response.status_code = 303  # See Other: the browser follows with a GET
        return response
    filter_form, filters = queue_filters(request, request.GET)
    asked = "q" in request.GET
    search_form = SearchForm(request.GET if asked else None)
    results: SearchResults | None = None
    counts = queue_counts()
    if search_form.is_valid():
        results = search_enquiries(
            text=search_form.cleaned_data["q"],
            filters=filters,
            page=_page_number(request.GET.get("page", "")),
        )
        # The page shown, by ids: the enquiries and their journalists (DESIGN rule 11).
        audit.record_reads(
            actor=request.user,
            action=AuditAction.SEARCH_RESULTS,
            enquiry_ids=results.page_ids,
            journalist_ids=[hit.enquiry.journalist_id for hit in results.hits],
            detail={"page": results.page},
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enquiries/desk/queue.html",
        {
            "filter_form": filter_form,
            "search_form": search_form,
            "results": results,
            "hits": results.hits if results else [],
            "searched": True,
            "search_query": query.urlencode(),
            "counts": counts,
            "foi_alerts": unrouted_foi() if counts["foi_unrouted"] else [],
            "duty_shift": current_shift(),
        },
        status=400 if asked and not search_form.is_valid() else 200,
    )
