"""Failures reach the officers (issue #15): the enquiry page lists its outgoing mail with
states and a "retry" for press officers (not only admins); a mail that may have gone out
shows its evidence and needs a confirmation; the queue counts failed mail; the sweeper logs
at ERROR, without personal data, when mail has failed too long."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries.mail import outbox
from enquiries.models import OutboundEmail
from tests import makers

pytestmark = pytest.mark.django_db


def _mail(enquiry, *, key: str, status: str = "failed", **fields: object) -> OutboundEmail:  # type: ignore[no-untyped-def]
    mail = outbox.queue_email(
        kind="receipt", to="ola.nordmann@vg.no", subject=f"Kvittering {enquiry.reference}",
        body="Takk.", key=key, enquiry=enquiry,
    )  # fmt: skip
    OutboundEmail.objects.filter(pk=mail.pk).update(status=status, **fields)
    mail.refresh_from_db()
    return mail


def test_the_enquiry_page_lists_its_mail_with_states_and_a_retry(officer_client):
    enquiry = makers.make_enquiry()
    sent = _mail(enquiry, key="a", status="sent", receipt="250 2.0.0 queued as X1",
                 message_id="<1.2@pressdesk.invalid>")  # fmt: skip
    failed = _mail(enquiry, key="b", last_error="refused by the mail server (SMTP 550)")
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert 'id="outgoing-mail"' in page
    assert "250 2.0.0 queued as X1" in page
    assert "&lt;1.2@pressdesk.invalid&gt;" in page
    assert "SMTP 550" in page
    assert f"/desk/enquiries/{enquiry.pk}/mail/{failed.pk}/retry/" in page
    assert f"/mail/{sent.pk}/retry/" not in page  # only failed mail has a retry

    response = officer_client.post(f"/desk/enquiries/{enquiry.pk}/mail/{failed.pk}/retry/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "queued"


def test_only_press_officers_may_retry_and_only_the_enquiry_s_own_mail(
    officer_client, outsider_client, client
):
    enquiry = makers.make_enquiry()
    other = makers.make_enquiry(topic="En annen sak")
    failed = _mail(enquiry, key="b")
    url = f"/desk/enquiries/{enquiry.pk}/mail/{failed.pk}/retry/"
    assert client.post(url).status_code == 302  # to the login page
    assert outsider_client.post(url).status_code == 403
    assert (
        officer_client.post(f"/desk/enquiries/{other.pk}/mail/{failed.pk}/retry/").status_code
        == 404
    )
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_a_mail_that_may_have_gone_out_shows_the_evidence_and_needs_a_confirmation(
    officer_client,
):
    enquiry = makers.make_enquiry()
    doubtful = _mail(enquiry, key="c", last_error=outbox.MAY_HAVE_GONE_OUT,
                     message_id="<9.9@pressdesk.invalid>", smtp_stage="unrecorded")  # fmt: skip
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/").content.decode()
    assert "&lt;9.9@pressdesk.invalid&gt;" in page
    assert f'name="confirm" id="confirm-{doubtful.pk}" required' in page

    url = f"/desk/enquiries/{enquiry.pk}/mail/{doubtful.pk}/retry/"
    response = officer_client.post(url, follow=True)
    doubtful.refresh_from_db()
    assert doubtful.status == "failed"  # not without the confirmation
    assert "9.9@pressdesk.invalid" in response.content.decode()  # told why, with the evidence

    officer_client.post(url, {"confirm": "on"})
    doubtful.refresh_from_db()
    assert doubtful.status == "queued"


def test_the_queue_counts_failed_mail(officer_client):
    enquiry = makers.make_enquiry()
    assert 'id="count-mail-failed"' not in officer_client.get("/desk/").content.decode()
    _mail(enquiry, key="a")
    _mail(enquiry, key="b")
    _mail(enquiry, key="c", status="sent")
    page = officer_client.get("/desk/").content.decode()
    assert 'id="count-mail-failed">2 ' in page


def test_mail_failed_too_long_is_logged_at_error_without_personal_data(settings, caplog):
    settings.PRESSDESK_OUTBOX_ALERT_SECONDS = 600
    enquiry = makers.make_enquiry()
    _mail(enquiry, key="recent", next_attempt_at=timezone.now() - timedelta(seconds=60))
    with caplog.at_level(logging.ERROR, logger="enquiries.mail.outbox"):
        outbox.sweep()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    _mail(enquiry, key="old", next_attempt_at=timezone.now() - timedelta(seconds=601))
    with caplog.at_level(logging.ERROR, logger="enquiries.mail.outbox"):
        outbox.sweep()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [
        "outbox: 1 mail(s) failed for longer than 600 s; retry them from the enquiry page"
    ]
    assert "ola" not in errors[0].lower()
    assert enquiry.reference not in errors[0]
