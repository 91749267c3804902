"""A request for access end to end in Debian's chromium: a journalist ticks the FOI box on the
form, a real Celery worker forwards it to the post registry's mailbox (a real SMTP server on
loopback), and the officer sees it routed on the desk."""

import re

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from enquiries.models import Enquiry, FoiRouting
from tests import makers
from tests.browser.csp import violations, watch_csp
from tests.mail import SmtpServer
from tests.tasks.helpers import Worker, publishing_to, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.worker]

REGISTRY = "postmottak@helseetaten.example"


def test_a_ticked_foi_box_reaches_the_post_registry_once(
    browser: Browser, live_server, settings, tmp_path, broker
):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0  # the browser types faster than a person
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    settings.CSRF_COOKIE_SECURE = False
    with SmtpServer() as registry, publishing_to(broker):
        worker = Worker(broker, tmp_path, concurrency=1, beat=False, EMAIL_URL=registry.url)
        try:
            journalist = browser.new_context(locale="nb-NO")
            page = journalist.new_page()
            console = watch_csp(page)
            page.goto(f"{live_server.url}/enquiry/")
            page.fill("#id_first_name", "Kari")
            page.fill("#id_last_name", "Holm")
            page.fill("#id_outlet", "Aftenposten")
            page.fill("#id_email", "kari.holm@aftenposten.no")
            page.fill("#id_topic", "Innsyn i avtalen om beredskapslager")
            page.fill("#id_question", "Jeg ber om innsyn i avtalen, jf. offentleglova § 3.")
            page.check("#id_is_foi")
            page.get_by_role("button", name="Send henvendelsen").click()
            expect(page.locator(".pd-reference")).to_be_visible()
            reference = page.locator(".pd-reference").inner_text()
            expect(page.get_by_text(REGISTRY)).to_be_visible()
            assert violations(page, console) == []
            journalist.close()

            enquiry = Enquiry.objects.get(reference=reference)
            wait_for(
                lambda: FoiRouting.objects.get(enquiry=enquiry).status == "sent",
                timeout=60, what="the request to be forwarded",
            )  # fmt: skip
            wait_for(lambda: len(registry.inbox.messages) == 2, timeout=30, what="both mails")

            officer = makers.make_officer()
            client = Client()
            client.force_login(officer)
            desk = browser.new_context(locale="nb-NO")
            desk.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value,
                  "url": live_server.url}]
            )  # fmt: skip
            page = desk.new_page()
            console = watch_csp(page)
            page.goto(f"{live_server.url}/desk/?kind=foi")
            page.get_by_role("link", name=reference).click()
            expect(page.locator("#routing-status")).to_have_class(re.compile("routing-sent"))
            expect(page.locator(".status-routed").first).to_be_visible()
            assert violations(page, console) == []
            # Routed requests leave the press queue.
            page.goto(f"{live_server.url}/desk/")
            expect(page.get_by_role("link", name=reference)).to_have_count(0)
            desk.close()
            # Every delivery has run: the acknowledgement too, and no second forwarding.
            wait_for(worker.idle, timeout=60, what="the worker to run every delivery")
        finally:
            output = worker.stop()
    forwarded = [m for m in registry.inbox.messages if m["To"] == REGISTRY]
    assert len(forwarded) == 1, output[-2000:]
    assert forwarded[0]["Reply-To"] == "kari.holm@aftenposten.no"
    assert reference in forwarded[0]["Subject"]
    assert "offentleglova § 3" in forwarded[0].get_content()
    [acknowledged] = [m for m in registry.inbox.messages if m["To"] == "kari.holm@aftenposten.no"]
    assert REGISTRY in acknowledged.get_content()
