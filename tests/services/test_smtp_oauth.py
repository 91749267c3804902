"""SMTP with OAuth 2.0 (XOAUTH2), as Microsoft 365 will require: a real SMTP server on
loopback that takes only tokens issued by a real OAuth server on loopback (tests/oauth.py);
the outbox's mail (a reply with its threading headers) goes through with a client-credentials
token, fetched once and shared, and fetched anew when the server refuses the held one."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from enquiries.handling import replies
from enquiries.mail import outbox
from enquiries.models import Journalist, OutboundEmail
from pressdesk.env import mailers_from_url
from tests import makers
from tests.mail import SmtpServer
from tests.oauth import TokenServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def oauth_smtp(settings):  # type: ignore[no-untyped-def]
    with TokenServer() as tokens, SmtpServer(tokens=tokens) as server:
        settings.MAILERS = server.mailers
        yield server


def _reply(officer, key: str = "0b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11") -> OutboundEmail:  # type: ignore[no-untyped-def]
    journalist = Journalist.objects.filter(email="ola.nordmann@vg.no").first()
    enquiry = makers.make_enquiry(journalist=journalist or makers.make_journalist())
    message = replies.send_reply(
        enquiry_id=enquiry.pk, by=officer, key=key, subject="Re: Veilederen", body="Svar."
    )
    return message.outbound


def test_a_reply_goes_out_with_xoauth2_and_one_token_serves_many_mails(oauth_smtp, officer):
    first = _reply(officer)
    second = _reply(officer, key="1b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11")
    assert outbox.deliver(email_id=first.pk) == "sent"
    assert outbox.deliver(email_id=second.pk) == "sent"
    assert oauth_smtp.inbox.logins == ["presse@helseetaten.no ok"] * 2
    assert len(oauth_smtp.tokens.issued) == 1  # the token is kept until close to expiry
    grant = oauth_smtp.tokens.grants[0]
    assert (grant["grant_type"], grant["scope"]) == (
        "client_credentials",
        "https://outlook.office365.com/.default",
    )
    sent = oauth_smtp.inbox.messages[0]
    assert sent["Message-ID"] == first.message_id
    assert sent["Thread-Index"]
    assert sent["Subject"] == first.subject
    assert first.subject.endswith("]")


def test_a_token_the_server_refuses_fails_the_mail_and_the_retry_gets_a_new_one(
    oauth_smtp, officer
):
    mail = _reply(officer)
    assert outbox.deliver(email_id=_reply(officer, key="2b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11").pk)
    oauth_smtp.tokens.revoked.add(oauth_smtp.tokens.issued[0])  # e.g. permissions withdrawn
    assert outbox.deliver(email_id=mail.pk) == "failed"
    mail.refresh_from_db()
    assert mail.last_error == "refused by the mail server (SMTP 535)"
    assert outbox.retry(email_id=mail.pk)
    assert outbox.deliver(email_id=mail.pk) == "sent"
    assert len(oauth_smtp.tokens.issued) == 2
    assert oauth_smtp.inbox.logins[-2:] == [
        "presse@helseetaten.no refused",
        "presse@helseetaten.no ok",
    ]


def test_a_wrong_client_secret_is_a_temporary_failure_with_a_reason_and_no_secret(
    settings, officer
):
    with TokenServer() as tokens, SmtpServer(tokens=tokens) as server:
        mailers = server.mailers
        mailers["default"]["OPTIONS"]["client_secret"] = "not-the-secret"  # type: ignore[index]
        settings.MAILERS = mailers
        mail = _reply(officer)
        with pytest.raises(outbox.TransientFailure):
            outbox.deliver(email_id=mail.pk)
        mail.refresh_from_db()
        assert (mail.status, mail.last_error) == (
            "queued",
            "no OAuth token: the token endpoint refused (HTTP 401)",
        )
        assert server.inbox.messages == []


@pytest.mark.parametrize(
    ("url", "oauth", "reason"),
    [
        ("smtp://presse%40x.no:secret@h:587", {}, "no password"),
        ("smtp://h:587", {}, "no password"),
        ("smtp://presse%40x.no@h:587", {"client_secret": ""}, "CLIENT_SECRET"),
        ("smtp://presse%40x.no@h:587", {"token_url": "http://login.example/t"}, "https"),
    ],
)
def test_oauth_settings_that_cannot_work_stop_the_start(url: str, oauth: dict, reason: str):
    config = {
        "token_url": "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
        "client_id": "app",
        "client_secret": "s",
        "scope": "https://outlook.office365.com/.default",
        **oauth,
    }
    with pytest.raises(ImproperlyConfigured, match=reason):
        mailers_from_url(url, timeout=5, oauth=config)
