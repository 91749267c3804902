"""Erasure and export from the journalist card, each as the answer to a rights request: an
open one of the contact's, or one registered on the spot with who asked and how their
identity was checked. The request is completed in the same transaction as the work."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from enquiries.core.errors import JournalistNotFound, RequestNotForThisContact
from enquiries.models import ErasureReceipt, Journalist, RightsRequest
from enquiries.privacy.erasure import erase_contact
from enquiries.privacy.export import export_contact
from enquiries.privacy.rights import complete_rights_request, open_rights_request


@dataclass(frozen=True)
class Requester:
    """Who asked, for a request registered from the card (ignored when one is chosen)."""

    request_id: int | None = None
    channel: str = RightsRequest.Channel.PHONE
    name: str = ""
    identity_check: str = ""


def _contact(journalist: Journalist) -> dict[str, str | None]:
    return {"email": journalist.email, "phone": journalist.mobile or journalist.phone or None}


def _locked_contact(journalist_id: int) -> Journalist:
    journalist = Journalist.objects.select_for_update().filter(pk=journalist_id).first()
    if journalist is None:
        raise JournalistNotFound
    return journalist


def _request_for(
    *, journalist: Journalist, kind: str, requester: Requester, by: User
) -> RightsRequest:
    if requester.request_id is None:
        return open_rights_request(
            by=by,
            kind=kind,
            channel=requester.channel,
            journalist=journalist,
            requester_name=requester.name,
            identity_check=requester.identity_check,
        )
    request = (
        RightsRequest.objects.select_for_update()
        .filter(
            pk=requester.request_id,
            journalist=journalist,
            kind=kind,
            status=RightsRequest.Status.OPEN,
        )
        .first()
    )
    if request is None:
        raise RequestNotForThisContact
    return request


@transaction.atomic
def erase_on_request(
    *, journalist_id: int, requester: Requester, by: User
) -> tuple[ErasureReceipt, RightsRequest]:
    """Erase the contact (privacy.erasure) and complete the erasure request with its receipt."""
    journalist = _locked_contact(journalist_id)
    request = _request_for(
        journalist=journalist, kind=RightsRequest.Kind.ERASURE, requester=requester, by=by
    )
    receipt = erase_contact(by=by, via=ErasureReceipt.Via.DESK, **_contact(journalist))
    # The erasure blanked the requester's name on the row; this instance still has it.
    RightsRequest.objects.filter(pk=request.pk).update(erasure_receipt=receipt, requester_name="")
    return receipt, complete_rights_request(request_id=request.pk, by=by)


@transaction.atomic
def export_on_request(
    *, journalist_id: int, requester: Requester, by: User
) -> tuple[dict[str, object], RightsRequest]:
    """Everything held about the contact (privacy.export), completing the access request."""
    journalist = _locked_contact(journalist_id)
    request = _request_for(
        journalist=journalist, kind=RightsRequest.Kind.ACCESS, requester=requester, by=by
    )
    export = export_contact(by=by, **_contact(journalist))
    return export, complete_rights_request(request_id=request.pk, by=by)
