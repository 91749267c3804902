"""Every response carries the CSP and the other security headers; no inline anything."""

import pytest
from django.test import Client

from tests import makers

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/enquiry/",
    "/privacy/request/",
    "/accounts/login/",
    "/admin/login/",
    "/healthz",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_bogus_host_header_is_400(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_pages_have_no_inline_script_or_style(client):
    for path in ["/", "/accounts/login/"]:
        html = client.get(path).content.decode()
        assert "<style" not in html
        assert " style=" not in html
        assert "<script>" not in html
        assert " on" + "click=" not in html


def test_plain_http_is_redirected_to_https_in_production(settings):
    # `make test` runs without the redirect (the live server speaks plain HTTP); production has it.
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
    assert Client().get("/healthz").status_code == 200  # the load balancer's probe stays on HTTP


def _wsgi(path: str, *, method: str = "GET", body: bytes = b"", cookie: str = "", **environ):
    """One request through the WSGI application, as gunicorn sends it: the status line and
    the header lines exactly as they go on the wire (the test client's response objects hold
    cookies in a separate jar that is never turned into headers)."""
    import io

    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    seen: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
        seen.update(status=status, headers=headers)

    # As the test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = get_wsgi_application()(
            {
                "REQUEST_METHOD": method,
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "HTTP_HOST": "testserver",
                "HTTP_COOKIE": cookie,
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
                "wsgi.url_scheme": "http",
                "wsgi.errors": io.StringIO(),
                **environ,
            },
            start_response,
        )
        html = b"".join(chunks).decode()
        chunks.close()  # sends request_finished, as a WSGI server does
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], html


def _set_cookie(headers: list[tuple[str, str]], name: str) -> tuple[str, set[str]]:
    """One cookie's Set-Cookie header line: its "name=value" and its attributes, lower-cased."""
    (line,) = [
        value for key, value in headers if key == "Set-Cookie" and value.startswith(f"{name}=")
    ]
    pair, *attributes = (part.strip() for part in line.split(";"))
    return pair, {attribute.lower() for attribute in attributes}


def test_production_session_and_csrf_cookies_are_secure_httponly_and_samesite(officer):
    import re
    from urllib.parse import urlencode

    status, headers, html = _wsgi("/accounts/login/")
    assert status.startswith("200")
    token_cookie, csrf = _set_cookie(headers, "csrftoken")
    assert {"secure", "httponly", "samesite=lax"} <= csrf
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    body = urlencode(
        {
            "csrfmiddlewaretoken": form_token,
            "login": officer.username,
            "password": makers.PASSWORD,
        }
    ).encode()
    status, headers, _html = _wsgi(
        "/accounts/login/", method="POST", body=body, cookie=token_cookie
    )
    assert status.startswith("302"), status
    _session, attributes = _set_cookie(headers, "sessionid")
    assert {"secure", "httponly", "samesite=lax"} <= attributes


def test_hsts_is_sent_on_https(client):
    response = client.get("/", secure=True)
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


@pytest.mark.redis
def test_session_ends_after_thirty_idle_minutes_and_each_request_moves_the_end(
    officer_client, settings
):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ENGINE == "pressdesk.sessions"  # Redis first, PostgreSQL behind it
    key = officer_client.cookies["sessionid"].value
    assert officer_client.get("/desk/").status_code == 200
    session = Session.objects.get(session_key=key)
    left = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)

    # An officer still at the desk: the end moves (at most once a minute, to spare writes).
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(1))
    settings.PRESSDESK_SESSION_REFRESH_SECONDS = 0
    officer_client.get("/desk/")
    left = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)

    # Idle past the end: the stored session has expired, and the desk asks for a login.
    from django.core.cache import cache

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    cache.delete(f"django.contrib.sessions.cached_db{key}")
    response = officer_client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
