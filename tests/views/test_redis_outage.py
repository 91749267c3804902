"""The desk survives Redis (issue #15, TESTING.md 17 and 34): with a private redis-server
stopped, or hung with SIGSTOP, officers stay logged in and work, login and logout work, and
the public form is received; every page answers within a few of Redis's short timeouts."""

import os
import signal
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from enquiries.forms.public import new_form_stamp
from enquiries.models import Enquiry, OutboundEmail
from tests import logins, makers
from tests.clients import FormClient as Client
from tests.tasks.helpers import PrivateRedis, publishing_to

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

TIMEOUT_SECONDS = 0.2
# A page makes a handful of Redis calls (session read and write, desk settings, rate limit,
# a publish), each costing at most its timeout when Redis is away, plus the page's own work.
BOUND_SECONDS = 4.0


@pytest.fixture
def app_redis(tmp_path, settings) -> Iterator[PrivateRedis]:  # type: ignore[no-untyped-def]
    """The app's cache, sessions, rate limit and broker on a redis-server of this test's own,
    with the short timeouts production has."""
    with PrivateRedis(tmp_path) as server:
        url = server.fresh_url()
        settings.PRESSDESK_REDIS_TIMEOUT_SECONDS = TIMEOUT_SECONDS
        settings.REDIS_URL = url
        settings.SESSION_ENGINE = "pressdesk.sessions"
        settings.CACHES = {
            "default": {
                "BACKEND": "pressdesk.cache.ResilientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "outage",
                "OPTIONS": {
                    "socket_connect_timeout": TIMEOUT_SECONDS,
                    "socket_timeout": TIMEOUT_SECONDS,
                },
            }
        }
        settings.PRESSDESK_FORM_MIN_SECONDS = 0
        with publishing_to(url):
            yield server


def _timed(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    response = call(*args, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < BOUND_SECONDS, f"{args[0]} took {elapsed:.1f} s"
    return response


def _form() -> dict[str, str]:
    return {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "outlet": "NRK",
        "email": "kari.nordmann@nrk.no",
        "phone": "",
        "mobile": "",
        "topic": "Beredskapslager",
        "question": "Hvor store er lagrene?",
        "stamp": new_form_stamp(),
        "website": "",
    }


def _officer_works_and_journalist_submits(client: Client, enquiry_id: int) -> None:
    for url in ("/desk/", f"/desk/enquiries/{enquiry_id}/", "/desk/log/", "/"):
        response = _timed(client.get, url)
        assert response.status_code == 200, url
    before = Enquiry.objects.count()
    response = _timed(Client().post, "/enquiry/", _form())
    assert response.status_code == 302
    assert Enquiry.objects.count() == before + 1
    # The receipt waits in the outbox for the sweeper.
    assert OutboundEmail.objects.filter(status="queued").exists()
    response = _timed(client.post, "/accounts/logout/")
    assert response.status_code == 302
    assert _timed(client.get, "/desk/").status_code == 302  # logged out: to the login page
    response = _timed(logins.post_password, client, username="officer")
    assert response["Location"] == logins.SECOND_FACTOR_URL
    # A new code (the one used at the first login may not come back), as a person waits for.
    with time_machine.travel(timezone.now() + timedelta(seconds=90), tick=False):
        response = _timed(client.post, logins.SECOND_FACTOR_URL, {"code": makers.totp_code()})
        assert response["Location"] == "/desk/"
    assert _timed(client.get, "/desk/").status_code == 200


def _logged_in_officer() -> tuple[Client, int]:
    makers.make_officer()
    enquiry = makers.make_enquiry()
    client = Client()
    assert logins.log_in(client, username="officer")["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200  # the session is cached in Redis now
    return client, enquiry.pk


def test_the_desk_and_the_form_work_while_redis_is_stopped(app_redis):
    client, enquiry_id = _logged_in_officer()
    app_redis.__exit__()  # redis-server terminated: connections refused

    _officer_works_and_journalist_submits(client, enquiry_id)


def test_the_desk_and_the_form_work_while_redis_hangs(app_redis):
    client, enquiry_id = _logged_in_officer()
    assert app_redis.process is not None
    os.kill(app_redis.process.pid, signal.SIGSTOP)  # accepts connections, never answers
    try:
        _officer_works_and_journalist_submits(client, enquiry_id)
    finally:
        os.kill(app_redis.process.pid, signal.SIGCONT)


def test_a_session_survives_redis_losing_it(app_redis, settings):
    """Redis restarted empty: the session comes back from the database (and is cached again)."""
    client, _ = _logged_in_officer()
    app_redis.__exit__()
    with PrivateRedis(app_redis.directory) as fresh, publishing_to("memory://"):
        url = f"redis://127.0.0.1:{fresh.port}/1"
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": url},
        }
        assert client.get("/desk/").status_code == 200
