"""The suite's own isolation: what a test puts in the shared Redis (the session, cached
settings and filter choices, rate-limit counts) is under the test's own key prefix, so no
test sees another's keys and none needs to flush anything (tests/conftest.py)."""

import os

import pytest
import redis
from django.conf import settings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the cache is in memory"),
]


def test_a_desk_page_keeps_its_session_and_cache_under_this_tests_prefix(officer_client):
    assert officer_client.get("/desk/").status_code == 200
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert prefix.startswith("pressdesk-test-")
    session_key = officer_client.cookies[settings.SESSION_COOKIE_NAME].value
    mine = {key.decode() for key in _server().scan_iter(f"{prefix}:*")}
    assert any(session_key in key for key in mine), mine
    # Nowhere else: no key outside this test's prefix names its session.
    assert not [k for k in _server().scan_iter(f"*{session_key}*") if k.decode() not in mine]


def _server() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)
