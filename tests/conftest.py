"""The cast (anonymous, outsider, officer, admin) and the test-only speed-ups."""

import os

import pytest
from django.test import Client

from tests import makers

# Playwright's sync API runs an event loop in the test thread; the ORM is still safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_and_plain(settings: pytest.FixtureRequest) -> None:
    # The real hasher costs ~0.5 s a hash; manifest storage needs collectstatic.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def officer(db: None):  # type: ignore[no-untyped-def]
    return makers.make_officer()


@pytest.fixture
def outsider(db: None):  # type: ignore[no-untyped-def]
    return makers.make_user()


@pytest.fixture
def officer_client(officer) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def outsider_client(outsider) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(outsider)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's chromium, never a downloaded browser; flags that keep it off the network."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
