"""The live server and browser context for browser tests.

The suite runs on production settings, where SecurityMiddleware redirects plain HTTP to HTTPS;
it reads that setting once, when the live server builds its handler (before any per-test
override), so the server is built here with the redirect off.
"""

from collections.abc import Iterator

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

# expect() waits up to this long for what the page should show; a loaded 2-core machine
# running two suites beside each other needs more than Playwright's 5 s default.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # Officers' browsers ask for Norwegian; tests that want English set it themselves.
    return {**browser_context_args, "locale": "nb-NO"}
