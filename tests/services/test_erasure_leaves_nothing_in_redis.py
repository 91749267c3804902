"""DESIGN rule 4 and 12: after an erasure no trace of the person is left in Redis.

An officer works on the journalist (queue, search, enquiry page, card, suggestions), which
fills whatever the app caches; then the journalist is erased, and every key and value in the
Redis database the app uses (cache, sessions, broker) is searched for her name, e-mail and
phone. The marker values are this test's own, so other tests' keys cannot match them."""

import pytest
import redis
from django.conf import settings

from enquiries.privacy.erasure import erase_contact
from tests import makers

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

FIRST, LAST = "Gunnhild", "Skredderstuen"
EMAIL = "gunnhild.skredderstuen@redisskanning.example"
MOBILE_DIGITS = "41987653"


def _every_value(client: redis.Redis) -> list[bytes]:
    """Each key and everything stored under it, whatever its type."""
    found: list[bytes] = []
    for key in client.scan_iter(count=1000):
        found.append(key)
        kind = client.type(key)
        if kind == b"string":
            found.append(client.get(key) or b"")
        elif kind == b"hash":
            for field, value in client.hgetall(key).items():
                found += [field, value]
        elif kind == b"list":
            found += client.lrange(key, 0, -1)
        elif kind == b"set":
            found += list(client.smembers(key))
        elif kind == b"zset":
            found += client.zrange(key, 0, -1)
    return found


def _traces(values: list[bytes]) -> list[bytes]:
    needles = [n.encode() for n in (FIRST, LAST, EMAIL, MOBILE_DIGITS)]
    return [v for v in values if any(n in v for n in needles)]


def test_an_erased_journalist_leaves_no_trace_in_redis(officer_client) -> None:
    journalist = makers.make_journalist(
        first_name=FIRST, last_name=LAST, email=EMAIL, mobile=f"+47 {MOBILE_DIGITS}"
    )
    enquiry = makers.make_enquiry(journalist=journalist, topic="Legemiddelmangel i høst")
    for url in [
        "/desk/",
        f"/desk/enquiries/{enquiry.pk}/",
        f"/desk/journalists/{journalist.pk}/",
        f"/desk/?q={LAST}",
    ]:
        assert officer_client.get(url).status_code == 200, url
    assert officer_client.get("/desk/search/", {"q": EMAIL}).status_code == 200
    officer_client.get("/desk/suggest/journalists/", {"q": LAST})

    client = redis.Redis.from_url(settings.REDIS_URL)
    # The scan must be able to see what the app stores: the officer's session is there.
    assert client.dbsize() > 0

    erase_contact(by=None, via="desk", email=EMAIL)
    officer_client.get("/desk/")  # the desk is used again after the erasure

    assert _traces(_every_value(client)) == []
