"""Every response carries the CSP and the other security headers; no inline anything."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/accounts/login/", "/admin/login/", "/healthz", "/no-such-page/"]


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


def test_production_cookies_are_secure(settings):
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31536000


@pytest.mark.redis
def test_session_ends_after_thirty_idle_minutes_and_each_request_moves_the_end(
    officer_client, settings
):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ENGINE.endswith("cached_db")  # Redis first, PostgreSQL behind it
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
