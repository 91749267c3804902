"""The purge takes inbound mail with everything else: thread attachments with their
enquiry, the holding pen and the ledger of mail taken after the retention period."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from enquiries.intake import inbound_mail
from enquiries.models import Attachment, Enquiry, HeldMail, InboundReceipt
from enquiries.retention import purge as retention

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _mail(number: int, subject: str) -> bytes:
    return (
        f"From: Kari Hansen <kari.hansen@nrk.no>\r\nSubject: {subject}\r\n"
        f"Date: Mon, 01 Aug 2022 10:00:00 +0200\r\nMessage-ID: <r{number}@nrk.no>\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nSe vedlegg.\r\n--b\r\n"
        "Content-Type: application/pdf\r\nContent-Disposition: attachment; "
        'filename="a.pdf"\r\n\r\n%PDF\r\n--b--\r\n'
    ).encode()


def test_old_inbound_mail_goes_with_its_attachments_the_holding_pen_and_the_ledger():
    with time_machine.travel(datetime(2022, 8, 1, 10, 5, tzinfo=OSLO), tick=False):
        assert inbound_mail.ingest(_mail(1, "Spørsmål")).outcome == "new"
        assert inbound_mail.ingest(_mail(2, "Re: P-2022-99999")).outcome == "held"
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=OSLO), tick=False):
        assert inbound_mail.ingest(_mail(3, "Re: P-2026-99999")).outcome == "held"
    assert (Attachment.objects.count(), InboundReceipt.objects.count()) == (3, 3)

    with time_machine.travel(datetime(2026, 12, 1, 3, 30, tzinfo=OSLO), tick=False):
        dry = retention.purge_expired(dry_run=True)
        result = retention.purge_expired()

    assert dry.counts["held_mail"] == 1
    assert result.counts["held_mail"] == 1
    assert not Enquiry.objects.exists()
    assert list(HeldMail.objects.values_list("subject", flat=True)) == ["Re: P-2026-99999"]
    assert Attachment.objects.count() == 1  # the recent held mail's
    assert InboundReceipt.objects.count() == 1
    assert timedelta(0) < datetime(2026, 12, 1, tzinfo=OSLO) - HeldMail.objects.get().received_at
