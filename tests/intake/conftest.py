"""One private dovecot (and its token endpoint) for the IMAP tests of this xdist worker; each
test starts from an empty mailbox. Needs no PostgreSQL or Redis: runs on the laptop default."""

import pytest

from enquiries.core import oauth as oauth_client
from tests.imap import Dovecot, TokenServer


@pytest.fixture(scope="session")
def token_server():  # type: ignore[no-untyped-def]
    with TokenServer() as server:
        yield server


@pytest.fixture(scope="session")
def _dovecot(token_server):  # type: ignore[no-untyped-def]
    with Dovecot(f"{token_server.url}") as server:
        yield server


@pytest.fixture
def dovecot(_dovecot, token_server, settings):  # type: ignore[no-untyped-def]
    _dovecot.fresh_mailbox()
    token_server.expires_in = 3600
    settings.PRESSDESK_INBOX = _dovecot.url()
    settings.PRESSDESK_INBOX_OAUTH_CLIENT_ID = ""
    return _dovecot


@pytest.fixture
def oauth(dovecot, token_server, settings):  # type: ignore[no-untyped-def]
    """The inbox opened with XOAUTH2 and client-credentials tokens (no password)."""
    settings.PRESSDESK_INBOX = {**dovecot.url(), "password": ""}
    settings.PRESSDESK_INBOX_OAUTH_CLIENT_ID = "client-id"
    settings.PRESSDESK_INBOX_OAUTH_CLIENT_SECRET = "client-secret"
    settings.PRESSDESK_INBOX_OAUTH_TOKEN_URL = f"{token_server.url}/token"
    source = oauth_client.provider(
        token_url=f"{token_server.url}/token", client_id="client-id",
        client_secret="client-secret", scope=settings.PRESSDESK_INBOX_OAUTH_SCOPE,
    )  # fmt: skip
    source.forget()
    yield token_server
    source.forget()
