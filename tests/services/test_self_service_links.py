"""E-mailed links: expired, tampered and reused ones are refused and change nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from enquiries.core.errors import LinkExpired, LinkInvalid, LinkUsed
from enquiries.models import SelfServiceLink
from enquiries.privacy import links as self_service

pytestmark = pytest.mark.django_db

OLA = "ola.nordmann@vg.no"


def test_a_link_is_used_once_and_then_forgets_the_address():
    link, token = self_service.issue_link(purpose="erasure", email=" Ola.Nordmann@VG.NO ")
    # Nothing personal in the URL: it signs 32 random bytes and nothing else. (A substring check
    # on the random token would fail now and then by chance.)
    payload = signing.loads(token, salt="pressdesk.self-service-link")
    assert len(signing.b64_decode(payload.encode())) == 32
    assert (
        self_service.redeem_link(signed_token=token, purpose="erasure", email=OLA)
        == "ola.nordmann@vg.no"
    )
    link.refresh_from_db()
    assert link.used_at is not None
    assert link.email == ""
    with pytest.raises(LinkUsed):
        self_service.redeem_link(signed_token=token, purpose="erasure", email=OLA)


def test_a_tampered_link_is_refused():
    _, token = self_service.issue_link(purpose="erasure", email="ola.nordmann@vg.no")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(LinkInvalid):
        self_service.redeem_link(signed_token=tampered, purpose="erasure", email=OLA)
    assert SelfServiceLink.objects.get().used_at is None


def test_a_link_for_one_purpose_does_not_work_for_another():
    _, token = self_service.issue_link(purpose="opt_out", email="ola.nordmann@vg.no")
    with pytest.raises(LinkInvalid):
        self_service.redeem_link(signed_token=token, purpose="erasure", email=OLA)


def test_a_link_expires_after_24_hours():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _, token = self_service.issue_link(purpose="access", email="ola.nordmann@vg.no")
        clock.shift(timedelta(hours=23, minutes=59))
        assert self_service.check_link(signed_token=token, purpose="access").email
        clock.shift(timedelta(minutes=2))
        with pytest.raises(LinkExpired):
            self_service.redeem_link(signed_token=token, purpose="access", email=OLA)
    assert SelfServiceLink.objects.get().used_at is None


def test_a_made_up_token_is_invalid():
    with pytest.raises(LinkInvalid):
        self_service.redeem_link(signed_token="not-a-token", purpose="erasure", email=OLA)
