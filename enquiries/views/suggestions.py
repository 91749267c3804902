"""Suggestions as an officer types (POSTed: what is typed never lands in a URL)."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from enquiries.core import audit
from enquiries.core.normalise import display_phone
from enquiries.models import AuditAction
from enquiries.queue.suggestions import journalist_suggestions, outlet_suggestions
from enquiries.views.guards import desk_view


def _suggestion_text(request: HttpRequest) -> str:
    text = request.POST.get("q", "")[:200]
    return "" if any(ord(char) < 32 for char in text) else text


@desk_view
@require_POST
def suggest_journalists(request: HttpRequest) -> JsonResponse:
    found = journalist_suggestions(text=_suggestion_text(request))
    audit.record_reads(
        actor=request.user,
        action=AuditAction.SUGGESTIONS,
        journalist_ids=[journalist.pk for journalist in found],
    )
    return JsonResponse(
        {
            "results": [
                {
                    "id": journalist.pk,
                    "label": journalist.full_name,
                    "detail": " · ".join(
                        part
                        for part in (
                            journalist.outlet.name if journalist.outlet else "",
                            journalist.email or "",
                            display_phone(journalist.mobile or journalist.phone),
                        )
                        if part
                    ),
                    "outlet": journalist.outlet.name if journalist.outlet else "",
                }
                for journalist in found
            ]
        }
    )


@desk_view
@require_POST
def suggest_outlets(request: HttpRequest) -> JsonResponse:
    found = outlet_suggestions(text=_suggestion_text(request))
    return JsonResponse(
        {
            "results": [
                {"id": outlet.pk, "label": outlet.name, "detail": outlet.get_kind_display()}
                for outlet in found
            ]
        }
    )
