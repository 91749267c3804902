"""The public enquiry form, and what TESTING.md says it must survive (items 1-9)."""

import re
import time

import pytest
import time_machine
from django.core import signing
from django.utils import translation

from enquiries.forms.public import new_form_stamp
from enquiries.models import Enquiry, Journalist, OutboundEmail, Outlet
from tests import makers
from tests.clients import FormClient as Client

pytestmark = pytest.mark.django_db

XSS = '"><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _no_fill_time_or_rate_limit_unless_asked(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000


def _form(**changes: str) -> dict[str, str]:
    return {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "outlet": "vg",
        "email": " Ola.Nordmann@VG.no ",
        "phone": "",
        "mobile": "400 33 431",
        "topic": "ME/CFS-veilederen",
        "question": "Når kommer den endelige veilederen?",
        "stamp": new_form_stamp(),
        "website": "",
        **changes,
    }


def _nothing_stored() -> bool:
    return not (
        Enquiry.objects.exists() or Journalist.objects.exists() or OutboundEmail.objects.exists()
    )


def test_a_journalist_submits_and_gets_a_receipt_and_a_confirmation_mail():
    Outlet.objects.create(name="VG", kind="newspaper")
    client = Client()
    response = client.post("/enquiry/", _form())
    assert response.status_code == 302
    receipt_url = response["Location"]
    enquiry = Enquiry.objects.get()
    # The URL carries the enquiry's id and a signature, nothing the journalist typed. (Checking
    # for "vg" in the whole URL failed whenever the random signature happened to contain it.)
    token = receipt_url.rstrip("/").rsplit("/", 1)[1]
    assert signing.loads(token, salt="pressdesk.receipt") == enquiry.pk
    assert token.split(":")[0] == signing.b64_encode(str(enquiry.pk).encode()).decode()
    assert (enquiry.channel, enquiry.status, enquiry.kind) == ("web_form", "new", "press")
    assert enquiry.outlet.name == "VG"  # matched in any letter case
    assert Outlet.objects.count() == 1
    assert enquiry.journalist.email == "ola.nordmann@vg.no"
    assert enquiry.journalist.mobile == "+4740033431"
    page = client.get(receipt_url)
    assert page.status_code == 200
    assert enquiry.reference in page.content.decode()
    mail = OutboundEmail.objects.get()
    assert (mail.to_address, mail.status, mail.enquiry) == ("ola.nordmann@vg.no", "queued", enquiry)
    assert enquiry.reference in mail.subject
    assert "+47 21 00 00 00" in mail.body  # the press-duty phone


def test_the_foi_and_opt_out_boxes():
    Client().post("/enquiry/", _form(is_foi="on", opt_out="on"))
    enquiry = Enquiry.objects.get()
    assert (enquiry.kind, enquiry.opted_out) == ("foi", True)
    assert (
        "post registry" in OutboundEmail.objects.get().body
        or "postmottak" in OutboundEmail.objects.get().body
    )


def test_a_tampered_receipt_url_is_404():
    Client().post("/enquiry/", _form())
    token = signing.dumps(Enquiry.objects.get().pk + 1, salt="other")
    assert Client().get(f"/enquiry/received/{token}/").status_code == 404
    assert Client().get("/enquiry/received/1/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("topic", "x" * 201),  # over-long (TESTING 1)
        ("first_name", "Ola\x00"),  # NUL (TESTING 2)
        ("last_name", "Nord\x1bmann"),
        ("email", "a@b.no\r\nBcc: x@evil.example"),  # header injection (TESTING 4)
        ("email", "not-an-address"),
        ("mobile", "12"),
        ("outlet", "x" * 201),
        ("topic", ""),
    ],
)
def test_bad_input_is_a_field_error_that_keeps_what_was_typed(field, value):
    response = Client().post("/enquiry/", _form(**{field: value}))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert "Ny veileder" not in html  # sanity: the page is the form
    assert "Når kommer den endelige veilederen?" in html  # the question is kept
    assert _nothing_stored()


def test_a_megabyte_topic_or_five_megabyte_body_stores_nothing():
    # Refused from the Content-Length before anything reads the body (PublicBodyMiddleware).
    assert Client().post("/enquiry/", _form(topic="x" * 1024 * 1024)).status_code == 413
    assert Client().post("/enquiry/", _form(question="y" * 5 * 1024 * 1024)).status_code == 413
    assert Client().post("/enquiry/", _form(topic="x" * 201)).status_code == 400  # a field error
    assert _nothing_stored()


def test_markup_is_stored_as_typed_and_escaped_when_shown():
    response = Client().post("/enquiry/", _form(first_name=XSS, topic=XSS, outlet=XSS))
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.topic == XSS
    assert enquiry.journalist.first_name == XSS
    page = Client().get(response["Location"]).content.decode()
    assert "<img src=x" not in page


def test_unicode_survives_intact():
    text = "Blåbærsyltetøy 👨\u200d👩\u200d👧 \u202egnitset"  # ZWJ emoji, right-to-left override
    Client().post("/enquiry/", _form(topic=text[:200]))
    assert Enquiry.objects.get().topic == text


def test_a_replayed_post_makes_exactly_one_enquiry():
    """The receipt URL is signed with a timestamp, so two receipts for one enquiry differ
    across a second boundary (this test crosses one on purpose): compare what they show."""
    with time_machine.travel("2026-11-30 10:00:00.900 +01:00", tick=False) as clock:
        data = _form()
        first = Client().post("/enquiry/", data, follow=True)
        clock.shift(1)
        second = Client().post("/enquiry/", data, follow=True)
    assert first.redirect_chain[0][0] != second.redirect_chain[0][0]  # the URLs differ...
    assert first.context["enquiry"].pk == second.context["enquiry"].pk  # ...the enquiry not
    assert Enquiry.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_without_a_csrf_token_nothing_is_stored():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/enquiry/", _form()).status_code == 403
    assert _nothing_stored()


def test_post_only_and_get_only_urls():
    assert Client().put("/enquiry/").status_code == 405
    assert Client().post("/privacy/").status_code == 405


def test_a_bot_filling_the_honeypot_is_politely_refused():
    response = Client().post("/enquiry/", _form(website="http://spam.example"))
    assert response.status_code == 400
    assert _nothing_stored()


def test_a_form_sent_back_faster_than_a_person_types_is_refused(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 2
    response = Client().post("/enquiry/", _form())
    assert response.status_code == 400
    assert _nothing_stored()
    old = signing.dumps(
        {"k": "slow-and-human", "t": time.time() - 5}, salt="pressdesk.enquiry-form"
    )
    assert Client().post("/enquiry/", _form(stamp=old)).status_code == 302


@time_machine.travel("2026-11-23 10:00:05 +01:00", tick=False)  # within one minute's window
def test_too_many_submissions_from_one_address_get_429(settings):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 3
    codes = [
        Client(REMOTE_ADDR="203.0.113.9").post("/enquiry/", _form(topic=f"Sak {n}")).status_code
        for n in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert Enquiry.objects.count() == 3
    # Someone else (another address) still gets through.
    assert Client(REMOTE_ADDR="198.51.100.7").post("/enquiry/", _form()).status_code == 302


@time_machine.travel("2026-11-23 10:00:05 +01:00", tick=False)  # within one minute's window
def test_with_the_counter_unreachable_the_limit_is_not_enforced_and_no_address_logged(
    settings, caplog
):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
    codes = [
        Client(REMOTE_ADDR="203.0.113.77").post("/enquiry/", _form(topic=f"Sak {n}")).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 302]
    assert "rate limit not enforced" in caplog.text
    assert "203.0.113.77" not in caplog.text


@time_machine.travel("2026-11-23 10:00:05 +01:00", tick=False)  # within one minute's window
def test_the_client_address_comes_from_the_proxy_header_only_when_configured(settings):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1
    settings.PRESSDESK_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PRESSDESK_TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert (
        Client(**proxy).post("/enquiry/", _form(), HTTP_X_FORWARDED_FOR="203.0.113.1").status_code
        == 302
    )
    assert (
        Client(**proxy).post("/enquiry/", _form(), HTTP_X_FORWARDED_FOR="203.0.113.2").status_code
        == 302
    )
    assert (
        Client(**proxy).post("/enquiry/", _form(), HTTP_X_FORWARDED_FOR="203.0.113.2").status_code
        == 429
    )


def test_a_known_journalist_is_matched_not_duplicated():
    known = makers.make_journalist(mobile="")
    Client().post("/enquiry/", _form(email="OLA.NORDMANN@vg.no"))
    assert Journalist.objects.get() == known
    known.refresh_from_db()
    assert known.mobile == ""  # the form changes nothing on the card, not even a blank
    assert Enquiry.objects.get().form_details == {"mobile": "+4740033431", "outlet": "vg"}


def test_the_form_page_in_both_languages_and_the_privacy_page():
    html = Client().get("/enquiry/").content.decode()
    assert 'class="pd-honeypot"' in html
    assert " style=" not in html
    with translation.override("en"):
        english = Client().get("/enquiry/", headers={"accept-language": "en"}).content.decode()
    assert "Send an enquiry to the press office" in english
    privacy = Client().get("/privacy/", headers={"accept-language": "en"}).content.decode()
    assert "6(1)(e)" in privacy
    assert "3 years" in privacy
    assert re.search(r"Datatilsynet", privacy)


@time_machine.travel("2026-11-23 10:00:05 +01:00", tick=False)  # within one minute's window
def test_a_flood_from_fifty_addresses_is_held_back_and_a_journalist_gets_through_after(settings):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 2
    settings.PRESSDESK_FORM_RATE_PER_DAY = 3
    accepted = 0
    for n in range(200):
        address = f"203.0.113.{n % 50}"
        response = Client(REMOTE_ADDR=address).post("/enquiry/", _form(topic=f"Spam {n}"))
        assert response.status_code in (302, 429)
        accepted += response.status_code == 302
    assert accepted == 50 * 2  # two a minute from each address; the rest got the polite 429
    assert OutboundEmail.objects.count() == accepted  # no mail for what was refused
    real = Client(REMOTE_ADDR="198.51.100.42").post("/enquiry/", _form(topic="Ekte spørsmål"))
    assert real.status_code == 302


def test_the_press_page_costs_no_query_once_the_settings_are_cached(django_assert_num_queries):
    Client().get("/")  # the first visit reads the settings row into the cache
    with django_assert_num_queries(0):
        response = Client().get("/")
    assert response.status_code == 200


def test_a_submitted_enquiry_is_at_the_top_of_the_officers_queue_marked_new(officer_client):
    makers.make_enquiry(topic="Eldre sak")
    Client().post("/enquiry/", _form(topic="Fersk fra skjemaet"))
    first = officer_client.get("/desk/").context["rows"][0]
    assert (first.topic, first.status, first.channel) == ("Fersk fra skjemaet", "new", "web_form")
