"""Public pages: no login, nothing personal, cheap to serve."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from enquiries import selectors


@require_GET
def press_page(request: HttpRequest) -> HttpResponse:
    return render(request, "enquiries/public/press_page.html", {"desk": selectors.desk_settings()})
