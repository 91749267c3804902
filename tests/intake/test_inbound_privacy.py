"""A journalist's copy of their data holds their mail's attachments and held mail."""

import pytest

from enquiries.intake import inbound_mail
from enquiries.privacy.export import export_contact
from tests import makers

pytestmark = pytest.mark.django_db


def _mail(subject: str, number: int) -> bytes:
    return (
        f"From: Ola Nordmann <ola.nordmann@vg.no>\r\nSubject: {subject}\r\n"
        f"Message-ID: <e{number}@vg.no>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n'
        "\r\nVedlagt.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: "
        'attachment; filename="notat.pdf"\r\n\r\n%PDF\r\n--b--\r\n'
    ).encode()


def test_the_export_lists_attachments_and_mail_waiting_in_the_holding_pen():
    makers.make_journalist()
    assert inbound_mail.ingest(_mail("Spørsmål", 1)).outcome == "new"
    assert inbound_mail.ingest(_mail("Sv: P-2026-99999", 2)).outcome == "held"
    makers.make_journalist(first_name="Kari", email="kari@nrk.no", mobile="")
    inbound_mail.ingest(_mail("Sv: P-2026-99998", 3).replace(b"ola.nordmann@vg.no", b"kari@nrk.no"))

    person = export_contact(by=None, email="ola.nordmann@vg.no")["journalists"][0]

    message = person["enquiries"][0]["messages"][0]
    assert message["attachments"] == [{"name": "notat.pdf", "type": "application/pdf", "size": 4}]
    assert [held["subject"] for held in person["held_mail"]] == ["Sv: P-2026-99999"]
