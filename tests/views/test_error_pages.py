"""Clear pages for outages (issue #15, TESTING.md 32 and 36): a styled 503 with Retry-After
while the database is away, a styled 500 for anything else; both under the CSP, in Bokmål
and English, and never a traceback."""

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from pressdesk.urls import *  # noqa: F403 (this module is a URLconf: the site, plus two faults)
from pressdesk.urls import urlpatterns as site_patterns
from tests.outage import Site, site_through_cuttable_proxy

pytestmark = pytest.mark.django_db


def _broken(request):  # type: ignore[no-untyped-def]
    msg = "a bug"
    raise RuntimeError(msg)


def _database_gone(request):  # type: ignore[no-untyped-def]
    msg = "connection to server at 127.0.0.1 failed: Connection refused"
    raise OperationalError(msg)


urlpatterns = [path("broken/", _broken), path("database-gone/", _database_gone), *site_patterns]


def _assert_a_styled_page(response, *, status: int) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    body = response.content.decode()
    assert "Traceback" not in body
    assert "RuntimeError" not in body
    assert "OperationalError" not in body
    assert "/static/vendor/bootstrap/" in body  # the site's look, from static files
    assert "<script" not in body
    assert "style=" not in body
    assert "<style" not in body
    assert "default-src 'self'" in response["Content-Security-Policy"]
    return body


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading"), [("nb", "Noe gikk galt"), ("en", "Something went wrong")]
)
def test_a_bug_answers_a_styled_500(language, heading):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    body = _assert_a_styled_page(client.get("/broken/"), status=500)
    assert heading in body


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading"),
    [("nb", "Midlertidig utilgjengelig"), ("en", "Temporarily unavailable")],
)
def test_a_database_error_answers_a_styled_503_with_retry_after(language, heading):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get("/database-gone/")
    body = _assert_a_styled_page(response, status=503)
    assert heading in body
    assert int(response["Retry-After"]) > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # what the server commits is flushed afterwards
def test_the_site_answers_503_while_postgresql_is_unreachable(tmp_path):
    with site_through_cuttable_proxy(tmp_path) as site:
        _the_503_while_the_proxy_is_cut(site)
    assert "Kari" not in site.output  # what the journalist typed never reaches a log line


def _the_503_while_the_proxy_is_cut(site: Site) -> None:
    base = site.base
    cookies = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

    def get(url: str, **headers: str):  # type: ignore[no-untyped-def]
        try:
            request = urllib.request.Request(base + url, headers=headers)  # noqa: S310 (http)
            return opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            return error

    form = get("/enquiry/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    stamp = re.search(r'name="stamp" value="([^"]+)"', form).group(1)

    site.proxy.cut()

    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "stamp": stamp, "website": "",
         "first_name": "Kari", "last_name": "Nordmann", "outlet": "NRK",
         "email": "kari.nordmann@nrk.no", "topic": "Beredskap", "question": "Hvor mye?"}
    ).encode()  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 (http to the test's server)
        base + "/enquiry/", data=data, headers={"Accept-Language": "nb", "Referer": base}
    )
    try:
        response = opener.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        response = error
    body = response.read().decode()
    assert response.status == 503, body[:500]
    assert int(response.headers["Retry-After"]) > 0
    assert "Midlertidig utilgjengelig" in body
    assert "/static/vendor/bootstrap/" in body
    assert "Traceback" not in body
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]

    health = get("/healthz")
    assert health.status == 503
