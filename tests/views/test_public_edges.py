"""The public side's abuse defences (issue #16, item 5): single-use stamps timed from the
page's render, IPv6 grouped by /64, the forwarded header only from trusted proxies, bodies
refused before they are read, links from PRESSDESK_PUBLIC_URL, unroutable recipients, HEAD,
a favicon and security.txt."""

import socket
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.wsgi import get_wsgi_application
from django.test.client import MULTIPART_CONTENT

from enquiries.forms.public import new_form_stamp
from enquiries.models import Enquiry, OutboundEmail
from tests.clients import FormClient as Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000
    settings.PRESSDESK_FORM_RATE_PER_DAY = 1000


def _form(**changes: str) -> dict[str, str]:
    return {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "outlet": "VG",
        "email": "ola.nordmann@vg.no",
        "topic": "Vaksiner",
        "question": "Hvor mange doser?",
        "stamp": new_form_stamp(),
        "website": "",
        **changes,
    }


# --- The stamp -----------------------------------------------------------------------------


def test_a_stamp_fetched_once_makes_one_enquiry_however_often_it_is_sent():
    stamp = new_form_stamp()
    first = Client().post("/enquiry/", _form(stamp=stamp, topic="Første"))
    assert first.status_code == 302
    again = Client().post("/enquiry/", _form(stamp=stamp, topic="Andre"))
    assert again.status_code == 302  # the replay (a double click) finds the first
    assert list(Enquiry.objects.values_list("topic", flat=True)) == ["Første"]


def test_a_stamp_spent_on_a_refusal_cannot_be_sent_again(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 2
    stamp = new_form_stamp()
    assert Client().post("/enquiry/", _form(stamp=stamp)).status_code == 400  # too fast
    with time_machine.travel(time.time() + 5, tick=False):
        response = Client().post("/enquiry/", _form(stamp=stamp))  # waited, then sent again
    assert response.status_code == 400
    assert not Enquiry.objects.exists()


def test_a_form_shown_again_with_errors_gets_a_new_key_and_keeps_its_time(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 2
    shown = time.time() - 10
    stamp = signing.dumps({"k": "k-1", "t": shown}, salt="pressdesk.enquiry-form")
    response = Client().post("/enquiry/", _form(stamp=stamp, topic=""))
    assert response.status_code == 400
    renewed = response.context["form"].data["stamp"]
    read = signing.loads(renewed, salt="pressdesk.enquiry-form")
    assert read["k"] != "k-1"
    assert read["t"] == shown  # the timer runs from the page's first render
    assert Client().post("/enquiry/", _form(stamp=renewed)).status_code == 302


def test_a_stamp_fetched_hours_ahead_is_expired(settings):
    settings.PRESSDESK_FORM_MAX_AGE_SECONDS = 3600
    with time_machine.travel(time.time() - 2 * 3600, tick=False):
        stamp = new_form_stamp()
    assert Client().post("/enquiry/", _form(stamp=stamp)).status_code == 400
    assert not Enquiry.objects.exists()


# --- Who the client is ---------------------------------------------------------------------


@time_machine.travel("2026-11-23 10:00:05 +01:00", tick=False)  # within one minute's window
def test_ipv6_clients_are_counted_by_their_64(settings):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 2
    codes = [
        Client(REMOTE_ADDR=f"2001:db8:1:2::{n:x}").post("/enquiry/", _form()).status_code
        for n in range(1, 4)
    ]
    assert codes == [302, 302, 429]  # every address in the /64 shares one quota
    other = Client(REMOTE_ADDR="2001:db8:1:3::1").post("/enquiry/", _form())
    assert other.status_code == 302


@time_machine.travel("2026-11-23 10:00:05 +01:00", tick=False)  # within one minute's window
def test_the_forwarded_header_is_trusted_only_from_configured_proxies(settings):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1
    settings.PRESSDESK_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PRESSDESK_TRUSTED_PROXIES = ["10.0.0.1"]
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    codes = [
        stranger.post("/enquiry/", _form(), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert codes == [302, 429, 429]  # a header from anyone else changes nothing


# --- Bodies --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/enquiry/", "/privacy/request/"])
def test_public_posts_refuse_multipart_bodies(url):
    response = Client().post(url, _form(), content_type=MULTIPART_CONTENT)
    assert response.status_code == 415
    assert not Enquiry.objects.exists()


def _raw_post(url: str, headers: str, body: bytes = b"") -> tuple[int, float]:
    """Send headers (and a body) to a real WSGI server; the status and how long it took."""
    app = get_wsgi_application()
    reads: list[int] = []

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    class Counting:
        def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
            self.stream = stream

        def read(self, *args: object) -> bytes:
            data = self.stream.read(*args)
            reads.append(len(data))
            return data

        def readline(self, *args: object) -> bytes:
            data = self.stream.readline(*args)
            reads.append(len(data))
            return data

    def counting(environ, start_response):  # type: ignore[no-untyped-def]
        environ["wsgi.input"] = Counting(environ["wsgi.input"])
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, counting, handler_class=Quiet)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    started = time.monotonic()
    with socket.create_connection(server.server_address, timeout=10) as conn:
        conn.sendall(f"POST {url} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode() + body)
        answer = conn.recv(4096)
    thread.join(10)
    server.server_close()
    assert sum(reads) == 0, "the body was read"
    return int(answer.split()[1]), time.monotonic() - started


def test_a_huge_multipart_body_is_refused_from_its_headers_without_reading_it(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    status, _seconds = _raw_post(
        "/privacy/request/",
        "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 200000000\r\n",
    )
    assert status == 415
    status, _seconds = _raw_post(
        "/enquiry/",
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000000\r\n",
    )
    assert status == 413


# --- Links and recipients ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["a@[127.0.0.1]", "a@127.0.0.1", "a@localhost", "a@printer.local", "a@x.invalid", "a@intranet"],
)
def test_unroutable_recipient_domains_are_refused(address):
    response = Client().post("/enquiry/", _form(email=address))
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    response = Client().post("/privacy/request/", {"purpose": "access", "email": address})
    assert response.status_code == 400
    assert not OutboundEmail.objects.exists()


# --- HEAD, favicon, security.txt -----------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/enquiry/", "/privacy/", "/privacy/request/", "/.well-known/security.txt"]
)
def test_head_works_wherever_get_does(url):
    get = Client().get(url)
    head = Client().head(url)
    assert get.status_code == 200
    assert head.status_code == 200
    assert head.content == b""


def test_head_on_a_confirmation_link_changes_nothing():
    from enquiries.models import SelfServiceLink
    from enquiries.privacy import links

    _link, token = links.issue_link(purpose="access", email="ola.nordmann@vg.no")
    assert Client().head(f"/privacy/confirm/access/{token}/").status_code == 200
    assert SelfServiceLink.objects.get().used_at is None


def test_the_favicon_is_found():
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("pressdesk/favicon.svg")  # served by whitenoise once collected
    assert "favicon.svg" in Client().get("/").content.decode()


def test_security_txt(settings):
    settings.PRESSDESK_PUBLIC_URL = "https://presse.helseetaten.example"
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Contact: mailto:presse@helseetaten.example" in text
    assert "Expires: " in text
    assert "Canonical: https://presse.helseetaten.example/.well-known/security.txt" in text
