"""A journalist's own rights requests from the public site: ask by e-mail, confirm by link.

Nothing here reveals whether anyone is in the log: the same page and the same e-mail go out
whatever is found, and only the owner of the mailbox can confirm.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from enquiries.core.errors import LinkAddressMismatch
from enquiries.mail import outbox
from enquiries.models import ErasureReceipt, LinkPurpose, RightsRequest
from enquiries.privacy import links as self_service
from enquiries.privacy.erasure import erase_contact
from enquiries.privacy.export import export_contact
from enquiries.privacy.opt_out import register_standing_opt_out, withdraw_standing_opt_out
from enquiries.privacy.rights import complete_rights_request, open_rights_request

_RIGHTS_KIND = {
    LinkPurpose.ERASURE: RightsRequest.Kind.ERASURE,
    LinkPurpose.ACCESS: RightsRequest.Kind.ACCESS,
    LinkPurpose.OPT_OUT: RightsRequest.Kind.OPT_OUT,
    LinkPurpose.WITHDRAW_OPT_OUT: RightsRequest.Kind.OPT_OUT,
}


@transaction.atomic
def request_link(*, purpose: str, email: str) -> None:
    """E-mail a confirmation link for this purpose to the address (whoever it belongs to). The
    link starts with PRESSDESK_PUBLIC_URL, never with what a request's Host said."""
    link, token = self_service.issue_link(purpose=purpose, email=email)
    url = settings.PRESSDESK_PUBLIC_URL + reverse("privacy_confirm", args=[purpose, token])
    context = {"purpose": LinkPurpose(purpose).label, "url": url}
    outbox.queue_email(
        kind="rights_link",
        to=link.email,
        subject=render_to_string("enquiries/emails/rights_link_subject.txt", context).strip(),
        body=render_to_string("enquiries/emails/rights_link_body.txt", context),
        key=f"rights-link:{link.pk}",
        wipe_recipient=True,
        public=True,  # anyone can type any address here: capped per recipient and in all
    )


def _record(purpose: str) -> None:
    request = open_rights_request(
        by=None,
        kind=_RIGHTS_KIND[LinkPurpose(purpose)],
        channel=RightsRequest.Channel.SELF_SERVICE,
        identity_check=RightsRequest.IdentityCheck.SELF_SERVICE,
    )
    complete_rights_request(request_id=request.pk, by=None)


def confirm(*, purpose: str, signed_token: str, email: str) -> dict[str, object] | None:
    """Carry out the confirmed request, given the address the link was sent to. Returns the
    copy (export_contact's document) for an access request. A wrong address spends the link
    and does nothing else."""
    try:
        return _carry_out(purpose=purpose, signed_token=signed_token, email=email)
    except LinkAddressMismatch:
        self_service.spend_link(signed_token=signed_token, purpose=purpose)
        raise


@transaction.atomic
def _carry_out(*, purpose: str, signed_token: str, email: str) -> dict[str, object] | None:
    email = self_service.redeem_link(signed_token=signed_token, purpose=purpose, email=email)
    _record(purpose)
    if purpose == LinkPurpose.ACCESS:
        return export_contact(by=None, email=email)
    if purpose == LinkPurpose.ERASURE:
        receipt = erase_contact(by=None, via=ErasureReceipt.Via.SELF_SERVICE, email=email)
        outbox.queue_email(
            kind="erasure_done",
            to=email,
            subject=render_to_string("enquiries/emails/erasure_done_subject.txt", {}).strip(),
            body=render_to_string(
                "enquiries/emails/erasure_done_body.txt", {"at": timezone.localtime(receipt.at)}
            ),
            key=f"erasure-done:{receipt.pk}",
            wipe_recipient=True,  # the address goes from the outbox once the mail is sent
        )
    elif purpose == LinkPurpose.OPT_OUT:
        register_standing_opt_out(by=None, email=email)
    elif purpose == LinkPurpose.WITHDRAW_OPT_OUT:
        withdraw_standing_opt_out(by=None, email=email)
    return None
