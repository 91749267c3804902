"""Who else has an enquiry open: the enquiry page's heartbeat (pressdesk/presence.js)."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_POST

from enquiries import access
from enquiries.handling import presence
from enquiries.models import Enquiry
from enquiries.views.guards import DeskRequest, desk_view


@desk_view
@require_POST
def enquiry_presence(request: DeskRequest, enquiry_id: int) -> JsonResponse:
    """Mark the officer present (or gone, with leaving=1) and name the others there now."""
    if not Enquiry.objects.filter(pk=enquiry_id).exists():
        raise Http404
    if request.POST.get("leaving") == "1":
        presence.mark_closed(enquiry_id=enquiry_id, officer_id=request.user.pk)
        return JsonResponse({"others": []})
    presence.mark_open(enquiry_id=enquiry_id, officer_id=request.user.pk)
    officers = access.desk_officers()
    present = set(
        presence.others_present(
            enquiry_id=enquiry_id,
            officer_id=request.user.pk,
            officer_ids=[officer.pk for officer in officers],
        )
    )
    return JsonResponse(
        {
            "others": [
                officer.get_full_name() or officer.get_username()
                for officer in officers
                if officer.pk in present
            ]
        }
    )
