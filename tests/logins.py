"""Logging in as a person does: the login form, then (for a user with an authenticator) the
second-factor page with the code the app shows now."""

from django.http import HttpResponse
from django.test import Client

from tests import makers

SECOND_FACTOR_URL = "/accounts/2fa/authenticate/"


def post_password(
    client: Client, *, username: str, password: str = makers.PASSWORD, next_url: str = ""
) -> HttpResponse:
    url = f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/"
    return client.post(url, {"login": username, "password": password})


def log_in(
    client: Client,
    *,
    username: str,
    password: str = makers.PASSWORD,
    code: str | None = None,
    next_url: str = "",
) -> HttpResponse:
    """Where the login ends: a redirect to the desk (or next_url) when it worked."""
    response = post_password(client, username=username, password=password, next_url=next_url)
    if response.status_code == 302 and response["Location"].startswith(SECOND_FACTOR_URL):
        response = client.post(SECOND_FACTOR_URL, {"code": code or makers.totp_code()})
    return response
