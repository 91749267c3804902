"""The live server and browser context for browser tests.

The suite runs on production settings, where SecurityMiddleware redirects plain HTTP to HTTPS;
it reads that setting once, when the live server builds its handler (before any per-test
override), so the server is built here with the redirect off.

Each test ends with its browser gone quiet: a page left open (the enquiry page's presence
heartbeat, a search as you type) would otherwise ask the live server for something while the
next test flushes or fills the database, which on the laptop default's shared in-memory SQLite
is "database table is locked" or a page that answers nothing, now and then, under load.
"""

import threading
from collections.abc import Iterator

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.utils import override_settings
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

# expect() waits up to this long for what the page should show; a loaded 2-core machine
# running two suites beside each other needs more than Playwright's 5 s default.
expect.set_options(timeout=20_000)


# How long a test's last requests may take to finish once its browser has closed.
QUIET_WITHIN = 60.0


class CountingServer(ThreadedWSGIServer):
    """The live server, counting the connections it is serving (from accept to close)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.serving = 0
        self.idle = threading.Condition()

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        with self.idle:
            self.serving += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:  # type: ignore[no-untyped-def]
        try:
            super().shutdown_request(request)
        finally:
            with self.idle:
                self.serving -= 1
                self.idle.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.serving == 0, timeout)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = LiveServer("localhost", start=False)
    server.thread.server_class = CountingServer
    with override_settings(SECURE_SSL_REDIRECT=False):
        server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _browser_quiet_at_the_end(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a browser test (its own page and context already closed by then): close any
    context it left open, then wait for the live server to finish what it was asked, before
    the database is flushed for the next test."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Asked for here so that this fixture's end comes before the flush.
    request.getfixturevalue("transactional_db")
    server: LiveServer = request.getfixturevalue("live_server")
    browser: Browser = request.getfixturevalue("browser")
    yield
    for context in browser.contexts:
        context.close()
    httpd = server.thread.httpd
    assert isinstance(httpd, CountingServer)
    assert httpd.wait_until_idle(QUIET_WITHIN), "the live server was still busy at the end"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # Officers' browsers ask for Norwegian; tests that want English set it themselves.
    return {**browser_context_args, "locale": "nb-NO"}
