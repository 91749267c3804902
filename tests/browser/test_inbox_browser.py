"""The journalist's answer and a hijack attempt arrive over IMAP (a real dovecot), are polled,
and an officer sees them in Debian's chromium: the answer in the thread with its quoted
history folded, the hijack flagged in the holding pen; no CSP violation, nothing remote
loaded from the HTML mail."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from enquiries.models import HeldMail
from tests import makers
from tests.intake.conftest import _dovecot, dovecot, token_server  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation: " + event.violatedDirective);
});
"""


def test_polled_mail_shows_in_the_thread_and_a_hijack_waits_flagged(
    live_server,
    page,
    settings,
    dovecot,  # noqa: F811
):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_CODE = "en"
    officer = makers.make_officer()
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    dovecot.append(
        (
            "From: Ola Nordmann <ola.nordmann@vg.no>\r\nTo: presse@helseetaten.no\r\n"
            f"Subject: Sv: [{enquiry.reference}] Svar\r\nMessage-ID: <answer@vg.no>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            "<p>Takk for svaret!</p><p>Den tir. 1. des. 2026 kl. 09:00 skrev Pressevakten:</p>"
            "<blockquote>Her er svaret.</blockquote>"
            '<img src="https://tracker.example/p.gif"><script>alert(1)</script>\r\n'
        ).encode(),
        (
            "From: Mallory <mallory@evil.example>\r\nTo: presse@helseetaten.no\r\n"
            f"Subject: Re: {enquiry.reference} rettelse\r\nMessage-ID: <hijack@evil.example>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nRett opp svaret.\r\n"
        ).encode(),
    )
    out = StringIO()
    call_command("poll_inbox", stdout=out)
    assert "1 added to threads" in out.getvalue()
    assert "1 held" in out.getvalue()

    client = Client()
    client.force_login(officer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.add_init_script(REPORT_CSP)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)
    page.on("request", lambda r: problems.append(r.url) if "tracker" in r.url else None)

    page.goto(f"{live_server.url}/desk/enquiries/{enquiry.pk}/")
    thread = page.locator(".thread")
    assert "Takk for svaret!" in thread.inner_text()
    quoted = thread.locator("details.mail-quoted")
    assert not quoted.locator("text=Her er svaret.").is_visible()  # folded away, kept
    quoted.locator("summary").click()
    assert quoted.locator("text=Her er svaret.").is_visible()
    assert "mallory" not in thread.inner_text()

    page.goto(f"{live_server.url}/desk/inbox/")
    held = page.locator(".held-mail.border-danger")
    assert "mallory@evil.example" in held.inner_text()
    held.locator("form[action$='/discard/'] button").click()
    page.wait_for_url(f"{live_server.url}/desk/inbox/")
    assert page.locator("#held-mail .held-mail").count() == 0
    assert not HeldMail.objects.exists()
    assert problems == []
