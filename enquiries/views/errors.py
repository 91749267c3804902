"""Service errors to responses, in one place.

A view calls a service inside `form_errors(form)` (the error lands on the form, which is shown
again with what was typed) or `flash_errors(request)` (the error becomes a message on the page
the action redirects to). A domain error no view handles is answered by
`ServiceErrorMiddleware`: "missing" (`status = 404`) as Django's 404, any other as a short 400.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest

from enquiries.core.errors import PressdeskError


@dataclass
class Outcome:
    ok: bool = True


def apply_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


@contextmanager
def form_errors(form: Any, *, field: str | None = None) -> Iterator[Outcome]:
    """Run a service; its ValidationError goes onto the form's fields, a domain error onto
    `field` (or the form as a whole). Missing records are left to the middleware (404)."""
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as exc:
        outcome.ok = False
        apply_errors(form, exc)
    except PressdeskError as exc:
        if exc.status == 404:
            raise
        outcome.ok = False
        form.add_error(field, str(exc))


@contextmanager
def flash_errors(request: HttpRequest) -> Iterator[Outcome]:
    """Run a service for an action that redirects; its error becomes a message there."""
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as exc:
        outcome.ok = False
        for message in exc.messages:
            messages.error(request, message)
    except PressdeskError as exc:
        if exc.status == 404:
            raise
        outcome.ok = False
        messages.error(request, str(exc))


class ServiceErrorMiddleware:
    """A domain error that reached the top: 404 for "missing", otherwise 400, never a 500."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PressdeskError):
            return None
        if exception.status == 404:
            raise Http404(str(exception)) from exception
        return HttpResponseBadRequest(str(exception), content_type="text/plain; charset=utf-8")
