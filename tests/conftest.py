"""The cast (anonymous, outsider, officer, admin) and the test-only speed-ups."""

import hashlib
import importlib
import os
import secrets

import pytest
from django.apps import apps as django_apps
from django.test import Client

from tests import makers

# Playwright's sync API runs an event loop in the test thread; the ORM is still safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# This run of the suite (each xdist worker draws its own): keys a test leaves in the shared
# Redis (cached settings for five minutes, a day's rate-limit counts) are never seen by the
# same test in the next run, or in another suite running beside this one.
RUN = secrets.token_hex(4)


@pytest.fixture(autouse=True)
def _fast_and_plain(settings, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    # The real hasher costs ~0.5 s a hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests share one Redis: each test of each run keeps its own keys (the session, cached
    # settings, rate-limit counts); nothing is flushed.
    test_id = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"pressdesk-test-{RUN}-{worker}-{test_id}"}
        for alias, config in settings.CACHES.items()
    }


@pytest.fixture(scope="session", autouse=True)
def _plain_static_files():  # type: ignore[no-untyped-def]
    """Production's manifest storage needs collectstatic: plain static files for the whole
    session. Not per test: a browser page left from an earlier test can still ask the live
    server for something between two tests, and rebuild the manifest storage just as the next
    test's override resets it (a 500 for the next test's first page, once under load)."""
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _tasks_queued_in_memory():  # type: ignore[no-untyped-def]
    """Tasks this process queues (on commit, as the app does) stay in its memory instead of
    piling up in the shared Redis; a test with a real worker points them at its own broker
    (tests/tasks/helpers.publishing_to). The shared Redis holds only prefixed cache keys."""
    from django.conf import settings

    from tests.tasks.helpers import publishing_to

    if not settings.REDIS_URL:  # tasks run in-process
        yield
        return
    with publishing_to("memory://"):
        yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that flush the database (transactional ones, and those with a live server) run
    after every other test, as pytest-django orders them. pytest regroups tests by
    parametrized higher-scoped fixtures (the browser's) after pytest-django has sorted, which
    once ran ordinary tests after the flush had taken the migrated baseline: sort again."""

    def flushes(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        return bool(marker and marker.kwargs.get("transaction")) or bool(
            {"live_server", "transactional_db"} & set(names)
        )

    items.sort(key=flushes)


@pytest.fixture(autouse=True)
def _migrated_baseline(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush every table afterwards, taking with them the rows the
    migrations made (the desk settings, the Press officers group). Put them back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    baseline = importlib.import_module("enquiries.migrations.0002_desk_settings_and_press_officers")
    baseline.create_settings_and_group(django_apps, None)


@pytest.fixture
def stopped_clock():  # type: ignore[no-untyped-def]
    """The clock stopped at the real time now: what a test reads as "now" or "today" is what
    the view reads, even across a minute boundary or midnight (the database reads no clock)."""
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def office_clock():  # type: ignore[no-untyped-def]
    """The clock stopped at 12:00 on an ordinary Tuesday (10 March 2026, Oslo): for tests of
    the working-day clocks (FOI alerts count office time), whatever the real hour or day."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    noon = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    with time_machine.travel(noon, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin_user(admin_user):  # type: ignore[no-untyped-def]
    """pytest-django's administrator (admin_client logs in as them), with the second factor
    every administrator has (without one, admin sends them to enrol)."""
    makers.add_totp(admin_user)
    return admin_user


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


@pytest.fixture
def smtp(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server on loopback, and the app's mailer pointed at it."""
    from tests.mail import SmtpServer

    with SmtpServer() as server:
        settings.MAILERS = server.mailers
        yield server


@pytest.fixture(scope="session")
def private_redis(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """This xdist worker's own redis-server, for the Celery workers tests start."""
    from tests.tasks.helpers import PrivateRedis

    with PrivateRedis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def broker(private_redis) -> str:  # type: ignore[no-untyped-def]
    """A Redis database no other test has used, on this xdist worker's own server."""
    return private_redis.fresh_url()
