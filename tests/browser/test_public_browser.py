"""A journalist's side in Debian's chromium: the enquiry form on a phone in Bokmål and in
English, and the self-service erasure with the link taken from a real SMTP server's mail."""

import re

import pytest
from django.core import signing
from playwright.sync_api import Browser, expect

from enquiries.mail import outbox
from enquiries.models import Enquiry, Journalist, OutboundEmail
from tests import makers
from tests.browser.csp import violations, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def _human_speed_is_enough(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0  # the browser types faster than a person


@pytest.mark.parametrize(
    ("locale", "submit", "thanks"),
    [
        ("nb-NO", "Send henvendelsen", "Takk, vi har mottatt henvendelsen din"),
        ("en-GB", "Send enquiry", "Thank you, we have received your enquiry"),
    ],
)
def test_a_journalist_sends_the_form_on_a_phone(
    browser: Browser, live_server, locale, submit, thanks
):
    context = browser.new_context(locale=locale, **PHONE)
    page = context.new_page()
    console = watch_csp(page)
    page.goto(f"{live_server.url}/enquiry/")
    page.fill("#id_first_name", "Kari")
    page.fill("#id_last_name", "Holm")
    page.fill("#id_outlet", "Aftenposten")
    page.fill("#id_email", "kari.holm@aftenposten.no")
    page.fill("#id_mobile", "400 12 345")
    page.fill("#id_topic", "Ventetider i psykisk helsevern")
    page.fill("#id_question", "Har ventetidene gått ned etter opptrappingsplanen?")
    page.get_by_role("button", name=submit).click()
    expect(page.get_by_role("heading", name=thanks)).to_be_visible()
    reference = page.locator(".pd-reference").inner_text()
    assert re.fullmatch(r"P-\d{4}-\d{5}", reference)
    enquiry = Enquiry.objects.get(reference=reference)
    token = page.url.rstrip("/").rsplit("/", 1)[1]  # the enquiry's id, signed; nothing typed
    assert signing.loads(token, salt="pressdesk.receipt") == enquiry.pk
    assert (enquiry.channel, enquiry.status) == ("web_form", "new")
    mail = OutboundEmail.objects.get(enquiry=enquiry)
    assert mail.to_address == "kari.holm@aftenposten.no"
    assert violations(page, console) == []
    context.close()


def test_a_journalist_erases_their_information_by_the_mailed_link(
    browser: Browser, live_server, smtp, settings
):
    settings.PRESSDESK_PUBLIC_URL = live_server.url  # the links in mails start here
    journalist = makers.make_journalist()
    makers.make_enquiry(journalist=journalist, topic="Spørsmål om veilederen")
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    console = watch_csp(page)
    page.goto(f"{live_server.url}/privacy/")
    page.get_by_role("link", name="Be om sletting, kopi eller reservasjon").click()
    page.get_by_label("Slett opplysningene mine").check()
    page.fill("#id_email", " Ola.Nordmann@VG.NO ")
    page.get_by_role("button", name="Send meg lenken").click()
    expect(page.get_by_role("heading", name="Sjekk e-posten din")).to_be_visible()

    # The worker's job, done here: relay the queued mail to the SMTP server on loopback.
    for mail in OutboundEmail.objects.filter(status="queued"):
        outbox.deliver(email_id=mail.pk)
    [received] = smtp.inbox.messages
    assert received["To"] == "ola.nordmann@vg.no"
    link = re.search(r"https?://\S+/privacy/confirm/\S+", received.get_content()).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", name="Bekreft forespørselen")).to_be_visible()
    assert Journalist.objects.exists()  # opening the link changes nothing
    page.fill("#id_email", "ola.nordmann@vg.no")  # the link alone is not enough
    page.get_by_role("button", name="Bekreft").click()
    expect(page.locator("#pd-done")).to_be_visible()
    assert not Journalist.objects.exists()
    assert Enquiry.objects.get().topic == ""  # only the anonymous tally stays
    page.goto(link)
    expect(page.get_by_role("heading", name="Lenken kan ikke brukes")).to_be_visible()
    assert violations(page, console) == []
    context.close()
