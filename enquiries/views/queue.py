"""The queue and search."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from enquiries.forms.desk import SearchForm
from enquiries.handling.duty import current_shift
from enquiries.queue.listing import Cursor, desk_queue, queue_counts, unrouted_foi
from enquiries.queue.searching import SearchHit, search_enquiries
from enquiries.views.common import queue_filters
from enquiries.views.guards import desk_view


@desk_view
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    filter_form, filters = queue_filters(request, request.GET)
    token = request.GET.get("after", "")
    after = Cursor.decode(token) if token else None
    page = desk_queue(filters=filters, after=after)
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


@desk_view
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    filter_form, filters = queue_filters(request, request.POST)
    search_form = SearchForm(request.POST)
    hits: list[SearchHit] = []
    counts = queue_counts()
    if search_form.is_valid():
        hits = search_enquiries(text=search_form.cleaned_data["q"], filters=filters)
    return render(
        request,
        "enquiries/desk/queue.html",
        {
            "filter_form": filter_form,
            "search_form": search_form,
            "hits": hits,
            "searched": True,
            "counts": counts,
            "foi_alerts": unrouted_foi() if counts["foi_unrouted"] else [],
            "duty_shift": current_shift(),
        },
        status=200 if search_form.is_valid() else 400,
    )
