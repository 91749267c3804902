"""An officer answers a journalist from the enquiry page in Debian's chromium: a canned reply
inserted, signed, "send and mark answered"; a real Celery worker sends it to a real SMTP
server on loopback, logging in with XOAUTH2 and a token from a real OAuth server on
loopback; the mail carries our threading headers, and the thread shows it sent; the
journalist's answer, appended over IMAP to a real dovecot, is polled into the thread, and a
hijack attempt waits in the holding pen. A refused
delivery shows its reason in the thread, and "retry" sends it."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, expect

from enquiries.core.desk_settings import update_desk_settings
from enquiries.handling import enquiries as handling
from enquiries.models import CannedReply, Enquiry, OutboundEmail
from tests import makers
from tests.browser.csp import violations, watch_csp
from tests.intake.conftest import _dovecot, dovecot, token_server  # noqa: F401 (fixtures)
from tests.mail import SmtpServer
from tests.oauth import TokenServer
from tests.tasks.helpers import Worker, publishing_to, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _desk_page(browser: Browser, live_server, officer):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(officer)
    context = browser.new_context(locale="nb-NO")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value,
          "url": live_server.url}]
    )  # fmt: skip
    return context, context.new_page()


def _enquiry() -> Enquiry:
    enquiry = makers.make_enquiry(
        journalist=makers.make_journalist(), channel="email", topic="ME/CFS-veilederen"
    )
    handling.add_message(
        enquiry_id=enquiry.pk, by=None, direction="in", from_address="ola.nordmann@vg.no",
        to_address="presse@helseetaten.no", subject="Spørsmål om veilederen",
        body="Når kommer den endelige veilederen?", message_id="<spm-1@vg.no>",
    )  # fmt: skip
    return enquiry


def test_an_officer_replies_with_a_canned_reply_and_it_reaches_the_journalist(
    browser: Browser,
    live_server,
    settings,
    tmp_path,
    broker,
    dovecot,  # noqa: F811
):
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    settings.CSRF_COOKIE_SECURE = False
    officer = makers.make_officer(first_name="Siri", last_name="Vakt")
    update_desk_settings(by=None, signature="Med vennlig hilsen\n{officer_name}\nPressevakten")
    CannedReply.objects.create(
        name="Svar kommer", body="Hei {journalist_name}!\n\nVi svarer på {reference} i dag."
    )
    enquiry = _enquiry()
    with (
        TokenServer() as tokens,
        SmtpServer(tokens=tokens) as smtp,
        publishing_to(broker),
    ):
        worker = Worker(broker, tmp_path, concurrency=1, beat=False, **smtp.oauth_env)
        try:
            context, page = _desk_page(browser, live_server, officer)
            console = watch_csp(page)
            page.goto(f"{live_server.url}/desk/enquiries/{enquiry.pk}/")
            expect(page.locator("#reply-to")).to_contain_text("ola.nordmann@vg.no")
            expect(page.locator("#reply_subject")).to_have_value("Re: Spørsmål om veilederen")
            page.select_option("#reply_canned", label="Svar kommer")
            page.get_by_role("button", name="Sett inn").click()
            text = f"Hei Ola Nordmann!\n\nVi svarer på {enquiry.reference} i dag."
            expect(page.locator("#reply_body")).to_have_value(text)
            expect(page.locator("#reply-signature")).to_contain_text("Siri Vakt")
            page.get_by_role("button", name="Send og merk som besvart").click()
            expect(page.locator(".alert-success")).to_contain_text("Svaret er på vei")
            expect(page.locator(".status-answered").first).to_be_visible()

            wait_for(lambda: len(smtp.inbox.messages) == 1, timeout=60, what="the reply")
            mail = OutboundEmail.objects.get(kind="reply")
            wait_for(lambda: OutboundEmail.objects.get(pk=mail.pk).status == "sent",
                     timeout=30, what="the row to be sent")  # fmt: skip
            page.reload()
            expect(page.locator(f"#delivery-{mail.pk} .badge")).to_have_class(
                re.compile("mail-sent")
            )
            assert violations(page, console) == []
            context.close()
        finally:
            output = worker.stop()
    [sent] = smtp.inbox.messages
    assert sent["To"] == "ola.nordmann@vg.no", output[-2000:]
    assert sent["Subject"] == f"Re: Spørsmål om veilederen [{enquiry.reference}]"
    assert sent["Message-ID"] == mail.message_id
    assert sent["In-Reply-To"] == "<spm-1@vg.no>"
    assert sent["References"] == "<spm-1@vg.no>"
    assert sent["Thread-Index"]
    assert sent["Auto-Submitted"] is None
    body = sent.get_content().replace("\r\n", "\n")
    assert body.startswith("Hei Ola Nordmann!")
    assert "-- \nMed vennlig hilsen\nSiri Vakt\nPressevakten" in body
    assert smtp.inbox.logins == ["presse@helseetaten.no ok"]  # XOAUTH2, one login

    # The journalist answers our reply. It is polled from the press inbox (a real dovecot) and
    # joins the thread by In-Reply-To alone (its subject names no reference); a stranger who
    # names the reference waits in the holding pen instead.
    dovecot.append(
        (
            "From: Ola Nordmann <ola.nordmann@vg.no>\r\nTo: presse@helseetaten.no\r\n"
            "Subject: Sv: veilederen\r\nMessage-ID: <svar-2@vg.no>\r\n"
            f"In-Reply-To: {sent['Message-ID']}\r\n"
            f"References: <spm-1@vg.no> {sent['Message-ID']}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nTusen takk, det holder.\r\n"
        ).encode(),
        (
            "From: Mallory <mallory@evil.example>\r\nTo: presse@helseetaten.no\r\n"
            f"Subject: Re: [{enquiry.reference}] rettelse\r\n"
            "Message-ID: <hijack-2@evil.example>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nRett opp svaret.\r\n"
        ).encode(),
    )
    polled = StringIO()
    call_command("poll_inbox", stdout=polled)
    context, page = _desk_page(browser, live_server, officer)
    page.goto(f"{live_server.url}/desk/enquiries/{enquiry.pk}/")
    expect(page.locator(".thread")).to_contain_text("Tusen takk, det holder.")
    expect(page.locator(".thread")).not_to_contain_text("Rett opp svaret")
    page.goto(f"{live_server.url}/desk/inbox/")
    expect(page.locator(".held-mail.border-danger")).to_contain_text("mallory@evil.example")
    context.close()


def test_a_refused_reply_shows_why_in_the_thread_and_is_sent_on_retry(
    browser: Browser, live_server, settings, tmp_path, broker
):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    officer = makers.make_officer()
    enquiry = _enquiry()
    with SmtpServer() as smtp, publishing_to(broker):
        smtp.inbox.answer = "550 5.1.1 No such user"
        worker = Worker(broker, tmp_path, concurrency=1, beat=False, EMAIL_URL=smtp.url)
        try:
            context, page = _desk_page(browser, live_server, officer)
            console = watch_csp(page)
            page.goto(f"{live_server.url}/desk/enquiries/{enquiry.pk}/")
            page.fill("#reply_body", "Veilederen kommer i mars.")
            page.get_by_role("button", name="Send", exact=True).click()
            expect(page.locator(".alert-success")).to_contain_text("Svaret er på vei")
            mail = OutboundEmail.objects.get(kind="reply")
            wait_for(lambda: OutboundEmail.objects.get(pk=mail.pk).status == "failed",
                     timeout=60, what="the refusal")  # fmt: skip
            page.reload()
            delivery = page.locator(f"#delivery-{mail.pk}")
            expect(delivery.locator(".badge")).to_have_class(re.compile("mail-failed"))
            expect(delivery.locator(".delivery-error")).to_contain_text("SMTP 550")

            smtp.inbox.answer = "250 OK"  # the address is fixed at the receiving end
            delivery.get_by_role("button", name="Prøv igjen").click()
            wait_for(lambda: len(smtp.inbox.messages) == 1, timeout=60, what="the retry")
            wait_for(lambda: OutboundEmail.objects.get(pk=mail.pk).status == "sent",
                     timeout=30, what="the row to be sent")  # fmt: skip
            page.reload()
            expect(page.locator(f"#delivery-{mail.pk} .badge")).to_have_class(
                re.compile("mail-sent")
            )
            expect(page.locator(f"#delivery-{mail.pk} .delivery-error")).to_have_count(0)
            assert violations(page, console) == []
            context.close()
        finally:
            output = worker.stop()
    assert smtp.inbox.messages[0]["Message-ID"] == mail.message_id, output[-2000:]
