"""Who asked is personal data: an erasure of that contact blanks it on all their requests."""

import pytest

from enquiries.models import ErasureReceipt, RightsRequest
from enquiries.privacy.erasure import erase_contact
from enquiries.privacy.rights import open_rights_request
from tests import makers

pytestmark = pytest.mark.django_db


def test_an_erasure_blanks_the_requester_on_every_request_of_that_contact(officer):
    ola = makers.make_journalist()
    makers.make_enquiry(journalist=ola)  # so the contact is not dropped as an orphan first
    kari = makers.make_journalist(first_name="Kari", last_name="Holm", email="kari@nrk.no")
    earlier = open_rights_request(
        by=officer, kind="access", channel="phone", journalist=ola,
        requester_name="Ola Nordmann", identity_check="call_back",
    )  # fmt: skip
    theirs = open_rights_request(
        by=officer, kind="access", channel="phone", journalist=kari,
        requester_name="Kari Holm", identity_check="in_person",
    )  # fmt: skip
    erase_contact(by=officer, via=ErasureReceipt.Via.COMMAND, email="ola.nordmann@vg.no")
    earlier.refresh_from_db()
    theirs.refresh_from_db()
    assert (earlier.requester_name, earlier.identity_check, earlier.journalist) == (
        "",
        "call_back",
        None,
    )
    assert theirs.requester_name == "Kari Holm"
    assert not RightsRequest.objects.filter(requester_name__icontains="nordmann").exists()


def test_a_request_given_an_address_is_linked_to_that_contact():
    ola = makers.make_journalist()
    by_mail = open_rights_request(
        by=None, kind="access", channel="email", email="OLA.nordmann@vg.no"
    )
    by_phone = open_rights_request(by=None, kind="access", channel="phone", phone="400 33 431")
    unknown = open_rights_request(by=None, kind="access", channel="phone", phone="+47 99 99 99 99")
    assert (by_mail.journalist, by_phone.journalist, unknown.journalist) == (ola, ola, None)


def test_the_purge_takes_the_name_off_requests_past_the_retention_period():
    from datetime import timedelta

    from django.utils import timezone

    from enquiries.retention import purge as retention

    old = open_rights_request(
        by=None, kind="access", channel="phone", requester_name="Ola Nordmann",
        identity_check="call_back", received_at=timezone.now() - timedelta(days=4 * 365),
    )  # fmt: skip
    recent = open_rights_request(
        by=None, kind="access", channel="phone", requester_name="Kari Holm",
        identity_check="call_back",
    )  # fmt: skip
    assert retention.purge_expired(dry_run=True).counts["requesters"] == 1
    result = retention.purge_expired()
    assert result.counts["requesters"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.requester_name, old.identity_check, old.kind) == ("", "call_back", "access")
    assert recent.requester_name == "Kari Holm"
