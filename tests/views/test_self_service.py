"""Self-service rights requests: ask, get a link by e-mail, confirm once."""

import base64
import json
import re

import pytest

from enquiries.handling import enquiries as handling
from enquiries.models import (
    ErasureReceipt,
    Journalist,
    OutboundEmail,
    RightsRequest,
    SelfServiceLink,
    Suppression,
)
from tests import makers
from tests.clients import FormClient as Client

pytestmark = pytest.mark.django_db

OLA = {"email": " Ola.Nordmann@VG.no "}  # the confirmation asks for the address again


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000


def _ask(purpose: str, email: str) -> tuple[str, str]:
    response = Client().post("/privacy/request/", {"purpose": purpose, "email": email})
    assert response.status_code == 200
    mail = OutboundEmail.objects.filter(kind="rights_link").latest("id")
    link = re.search(r"http://127\.0\.0\.1:8000(/privacy/confirm/\S+/)", mail.body).group(1)
    return response.content.decode(), link


def test_the_answer_is_the_same_whether_or_not_anyone_is_in_the_log():
    makers.make_enquiry(journalist=makers.make_journalist())
    known_page, _ = _ask("erasure", "ola.nordmann@vg.no")
    unknown_page, _ = _ask("erasure", "nobody@example.no")
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(known_page) == strip(unknown_page)
    bodies = [re.sub(r"/privacy/confirm/\S+", "LINK", m.body) for m in OutboundEmail.objects.all()]
    assert bodies[0] == bodies[1]
    assert "ola" not in SelfServiceLink.objects.first().token_hash


def test_self_service_erasure_erases_and_says_so_by_mail():
    journalist = makers.make_journalist()
    enquiry = makers.make_enquiry(journalist=journalist)
    handling.add_message(enquiry_id=enquiry.pk, by=None, direction="in", body="Hei")
    _, link = _ask("erasure", " Ola.Nordmann@VG.NO ")
    client = Client()
    assert client.get(link).status_code == 200  # a mail scanner's GET changes nothing
    assert Journalist.objects.exists()
    response = client.post(link, OLA)
    assert response.status_code == 200
    assert not Journalist.objects.exists()
    assert ErasureReceipt.objects.get().via == "self_service"
    done = OutboundEmail.objects.get(kind="erasure_done")
    assert done.wipe_recipient
    assert RightsRequest.objects.get().status == "done"
    # The link works once.
    again = client.post(link, OLA)
    assert again.status_code == 400
    assert (
        "already been used" in again.content.decode() or "allerede brukt" in again.content.decode()
    )


def test_a_tampered_link_is_refused_and_changes_nothing():
    makers.make_enquiry(journalist=makers.make_journalist())
    _, link = _ask("erasure", "ola.nordmann@vg.no")
    tampered = link[:-3] + ("x/" if not link.endswith("x/") else "y/")
    assert Client().post(tampered, OLA).status_code == 400
    assert Journalist.objects.exists()
    assert Client().post(link.replace("/erasure/", "/access/"), OLA).status_code == 400


def test_self_service_access_shows_a_readable_copy_with_the_json_beside_it_once():
    enquiry = makers.make_enquiry(journalist=makers.make_journalist(), topic="Ventetider")
    handling.add_message(enquiry_id=enquiry.pk, by=None, direction="out", body="Svar <b>x</b>")
    _, link = _ask("access", "ola.nordmann@vg.no")
    response = Client(HTTP_ACCEPT_LANGUAGE="nb").post(link, OLA)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    # Readable: words, not codes, and what was written escaped as text.
    assert "Hva pressekontoret har lagret om deg" in page
    assert f"{enquiry.reference}: Ventetider" in page
    assert "Utgående e-post" in page
    assert "Svar &lt;b&gt;x&lt;/b&gt;" in page
    # The machine-readable copy beside it: a download of the same JSON.
    href = re.search(
        r'id="pd-json" href="data:application/json;charset=utf-8;base64,([^"]+)"', page
    )
    assert 'download="my-information.json"' in page
    copy = json.loads(base64.b64decode(href.group(1)))
    assert copy["journalists"][0]["enquiries"][0]["messages"][0]["body"] == "Svar <b>x</b>"
    assert Client().post(link, OLA).status_code == 400


def test_self_service_opt_out_and_withdrawal():
    _, link = _ask("opt_out", "OLA.nordmann@vg.no")
    Client().post(link, OLA)
    assert Suppression.objects.count() == 1
    assert makers.make_enquiry(journalist=makers.make_journalist()).opted_out
    _, link = _ask("withdraw_opt_out", "ola.nordmann@vg.no")
    Client().post(link, OLA)
    assert not Suppression.objects.exists()


def test_a_bad_address_is_a_field_error():
    response = Client().post(
        "/privacy/request/", {"purpose": "erasure", "email": "a@b.no\r\nBcc: x@y"}
    )
    assert response.status_code == 400
    assert not OutboundEmail.objects.exists()


def test_a_link_read_from_an_access_log_is_useless_without_the_address():
    makers.make_enquiry(journalist=makers.make_journalist())
    _, link = _ask("erasure", "ola.nordmann@vg.no")
    client = Client()
    assert client.post(link).status_code == 400  # no address: a field error, nothing done
    assert Journalist.objects.exists()
    wrong = client.post(link, {"email": "someone.else@vg.no"})
    assert wrong.status_code == 400
    assert Journalist.objects.exists()
    # One wrong guess spends the link: the right address no longer works with it either.
    assert client.post(link, OLA).status_code == 400
    assert Journalist.objects.exists()
    assert SelfServiceLink.objects.get().email == ""


def test_the_link_in_the_mail_comes_from_the_public_url_not_the_host(settings):
    settings.PRESSDESK_PUBLIC_URL = "https://presse.helseetaten.example"
    settings.ALLOWED_HOSTS = ["*"]
    Client(HTTP_HOST="localhost:6666").post(
        "/privacy/request/", {"purpose": "access", "email": "ola.nordmann@vg.no"}
    )
    body = OutboundEmail.objects.get(kind="rights_link").body
    assert "https://presse.helseetaten.example/privacy/confirm/" in body
    assert "6666" not in body
    assert "localhost" not in body
