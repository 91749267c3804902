"""The views the benchmarks compare against (mounted only for `make bench`): the bare Django
view, and the queue and search with the read audit's write left out, so one run shows
what the audit costs beside the same pages with it on."""

from django.http import HttpRequest, HttpResponse

from enquiries.core import audit
from enquiries.views.queue import queue, search


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def unaudited_queue(request: HttpRequest) -> HttpResponse:
    with audit.reads_unrecorded():
        return queue(request)


def unaudited_search(request: HttpRequest) -> HttpResponse:
    with audit.reads_unrecorded():
        return search(request)
