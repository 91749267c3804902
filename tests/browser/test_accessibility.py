"""axe-core (WCAG 2.1 A and AA) on every public page and every desk page, in Bokmål and in
English, as first shown and with errors shown (issue #16, item 7).

The desk pages are found by walking the URLconf under /desk/ (as tests/views/test_desk_access.py
does): every route an officer can GET as an HTML page is checked, so a new desk page is checked
the day it is added. A route with a new kind of parameter fails here until EXAMPLE_IDS names an
example for it; a new form whose errors should be checked goes in DESK_FORMS_WITH_ERRORS.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.core import signing
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page

from enquiries.handling import enquiries as handling
from enquiries.intake import inbound_mail
from enquiries.models import Attachment, HeldMail, OutboundEmail, RightsRequest
from enquiries.privacy import links
from tests import makers
from tests.browser.axe import axe_violations
from tests.browser.csp import violations as csp_violations
from tests.browser.csp import watch_csp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = {"nb": "nb-NO", "en": "en-GB"}
DESK = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def _plain_http_and_no_waiting(settings):
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    settings.CSRF_COOKIE_SECURE = False
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """Journalists on a phone; officers at a desk (the desk's phone layout is checked by
    tests of its own)."""
    language = request.node.callspec.params["language"]
    size = PHONE if "public" in request.node.name else {"viewport": DESK}
    context = browser.new_context(locale=LANGUAGES[language], **size)
    yield context
    context.close()


@dataclass
class Checked:
    """What axe and the CSP listener found, page by page."""

    page: Page
    found: dict[str, list[str]]
    csp: list[str]

    def report(self) -> str:
        return "\n".join(
            f"{name}:\n  " + "\n  ".join(problems) for name, problems in self.found.items()
        )

    def check(self, name: str) -> None:
        problems = axe_violations(self.page)
        problems += csp_violations(self.page, self.csp)
        self.csp.clear()
        if problems:
            self.found[name] = problems


def _checker(context: BrowserContext) -> Checked:
    page = context.new_page()
    return Checked(page=page, found={}, csp=watch_csp(page))


# --- Public pages --------------------------------------------------------------------------


def _fill_the_form(page: Page) -> None:
    page.fill("#id_first_name", "Kari")
    page.fill("#id_last_name", "Holm")
    page.fill("#id_outlet", "Aftenposten")
    page.fill("#id_email", "kari.holm@aftenposten.no")
    page.fill("#id_mobile", "400 12 345")
    page.fill("#id_topic", "Ventetider i psykisk helsevern")
    page.fill("#id_question", "Har ventetidene gått ned etter opptrappingsplanen?")


def _public_pages(base: str) -> list[tuple[str, Callable[[Page], object]]]:
    makers.make_enquiry(journalist=makers.make_journalist())
    receipt = signing.dumps(makers.make_enquiry().pk, salt="pressdesk.receipt")

    def link(purpose: str) -> str:
        _row, token = links.issue_link(purpose=purpose, email="ola.nordmann@vg.no")
        return f"{base}/privacy/confirm/{purpose}/{token}/"

    def confirm(purpose: str, email: str) -> Callable[[Page], object]:
        def run(page: Page) -> None:
            page.goto(link(purpose))
            page.fill("#id_email", email)
            page.locator("#pd-confirm").click()
            page.wait_for_load_state()

        return run

    def errors_on(url: str) -> Callable[[Page], object]:
        def run(page: Page) -> None:
            page.goto(url)
            page.locator("#pd-submit").click()
            page.locator("#error-summary").wait_for()

        return run

    def long_question(page: Page) -> None:
        page.goto(f"{base}/enquiry/")
        page.fill("#id_question", "Hvorfor? " * 600)  # over the limit: the count turns red
        page.locator("#id_question_count.text-danger").wait_for()

    def sent(page: Page) -> None:
        page.goto(f"{base}/enquiry/")
        _fill_the_form(page)
        page.locator("#pd-submit").click()
        page.wait_for_url("**/enquiry/received/**")

    def refused(minimum_seconds: int, per_minute: int) -> Callable[[Page], object]:
        def run(page: Page) -> None:
            from django.conf import settings

            page.goto(f"{base}/enquiry/")
            _fill_the_form(page)
            settings.PRESSDESK_FORM_MIN_SECONDS = minimum_seconds
            settings.PRESSDESK_FORM_RATE_PER_MINUTE = per_minute
            try:
                page.locator("#pd-submit").click()
                page.locator("#pd-again").wait_for()
            finally:
                settings.PRESSDESK_FORM_MIN_SECONDS = 0
                settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000

        return run

    def login_failed(page: Page) -> None:
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", "nobody")
        page.fill("input[name=password]", "wrong")
        page.locator("main button[type=submit]:not(#passkey_login)").click()
        page.wait_for_load_state()

    return [
        ("press page", lambda page: page.goto(f"{base}/")),
        ("enquiry form", lambda page: page.goto(f"{base}/enquiry/")),
        ("enquiry form with errors", errors_on(f"{base}/enquiry/")),
        ("enquiry form, question too long", long_question),
        ("receipt", sent),
        ("receipt by its link", lambda page: page.goto(f"{base}/enquiry/received/{receipt}/")),
        ("refused: too fast", refused(minimum_seconds=3600, per_minute=1000)),
        ("refused: rate limit", refused(minimum_seconds=0, per_minute=0)),
        ("privacy page", lambda page: page.goto(f"{base}/privacy/")),
        ("rights request", lambda page: page.goto(f"{base}/privacy/request/")),
        ("rights request with errors", errors_on(f"{base}/privacy/request/")),
        ("confirm a link", lambda page: page.goto(link("opt_out"))),
        ("confirm a link with errors", confirm("opt_out", "ikke en adresse")),
        ("a link that cannot be used", lambda page: page.goto(link("opt_out")[:-3] + "xy/")),
        ("request carried out", confirm("opt_out", "ola.nordmann@vg.no")),
        ("the copy of your information", confirm("access", "ola.nordmann@vg.no")),
        ("log-in page", lambda page: page.goto(f"{base}/accounts/login/")),
        ("log-in page with errors", login_failed),
        ("page not found", lambda page: page.goto(f"{base}/no-such-page/")),
    ]


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_public_page_passes_axe(live_server, context, language):
    checked = _checker(context)
    for name, visit in _public_pages(live_server.url):
        visit(checked.page)
        checked.check(name)
    assert not checked.found, checked.report()


# --- Desk pages ----------------------------------------------------------------------------

# An example for each kind of parameter in a desk route; made in _desk_examples().
EXAMPLE_PARAMETERS = {
    "enquiry_id", "journalist_id", "request_id", "mail_id", "fmt", "table", "held_id",
    "attachment_id",
}  # fmt: skip

# Forms whose errors are shown and checked: (the page's URL name, the form on it). The
# form's text fields are emptied and it is sent; the page that answers is checked.
DESK_FORMS_WITH_ERRORS = [
    ("desk:log", "#log-form"),
    ("desk:enquiry_edit", "main form[method=post]"),
    ("desk:journalist_edit", "main form[method=post]"),
    ("desk:enquiry", "form[action$='/messages/']"),
    ("desk:journalist", "form[action$='/erase/']"),
    ("desk:rights", "form[action$='/rights/new/']"),
    ("desk:rights", "form[action$='/rights/opt-out/']"),
]


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            found.append((route, f"{namespace}{pattern.name}"))
    return found


def desk_routes() -> list[tuple[str, str]]:
    return [(r, name) for r, name in _walk(get_resolver().url_patterns) if r.startswith("desk/")]


def _desk_examples(officer) -> dict[str, str]:  # type: ignore[no-untyped-def]
    vg = makers.make_outlet(name="VG")
    ola = makers.make_journalist(outlet=vg)
    enquiry = makers.make_enquiry(journalist=ola, topic="Legemiddelmangel", by=officer)
    handling.add_message(
        enquiry_id=enquiry.pk, by=None, direction="in", body="Hvor mange pakninger mangler?",
        from_address="ola.nordmann@vg.no", subject="Legemiddelmangel",
    )  # fmt: skip
    handling.add_message(enquiry_id=enquiry.pk, by=officer, direction="note", body="Sjekk tall")
    makers.make_enquiry(topic="Innsyn i avtalen", kind="foi", channel="web_form")
    mail = OutboundEmail.objects.create(
        kind="reply", idempotency_key="axe-failed", to_address="ola.nordmann@vg.no",
        subject="Svar", body="Svar", enquiry=enquiry, status="failed", last_error="SMTP 550",
    )  # fmt: skip
    rights = RightsRequest.objects.create(
        kind="access", channel="phone", received_at=timezone.now(), due_date=timezone.localdate()
    )
    # A stranger's mail naming the reference, with an attachment: held, flagged (#18).
    inbound_mail.ingest(
        (
            f"From: Mallory <mallory@evil.example>\r\nSubject: Re: {enquiry.reference}\r\n"
            "Message-ID: <axe-held@evil.example>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
            "Content-Type: text/plain\r\n\r\nSe vedlegg.\r\n--b\r\n"
            "Content-Type: text/plain\r\nContent-Disposition: attachment; "
            'filename="notat.txt"\r\n\r\nNotat\r\n--b--\r\n'
        ).encode()
    )
    examples = {
        "enquiry_id": enquiry.pk, "journalist_id": ola.pk, "request_id": rights.pk,
        "mail_id": mail.pk, "fmt": "json", "table": "channel",
        "held_id": HeldMail.objects.get().pk, "attachment_id": Attachment.objects.get().pk,
    }  # fmt: skip
    assert set(examples) == EXAMPLE_PARAMETERS
    return {name: str(value) for name, value in examples.items()}


def _url(route: str, examples: dict[str, str]) -> str:
    def example(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in examples, f"add an example for <{name}> to EXAMPLE_PARAMETERS"
        return examples[name]

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", example, route)


def desk_pages(client: Client, examples: dict[str, str]) -> dict[str, str]:
    """Every desk URL an officer can GET as an HTML page, by URL name."""
    pages = {}
    for route, name in desk_routes():
        url = _url(route, examples)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[name] = url
    return pages


def _send_emptied(page: Page, selector: str) -> None:
    form = page.locator(selector).first
    form.evaluate("form => { form.noValidate = true; }")  # the server's messages, not the browser's
    for field in form.locator(
        "input[type=text], input[type=email], input[type=tel], input[type=date], "
        "input[type=datetime-local], input:not([type]), textarea"
    ).all():
        if field.is_visible() and field.is_editable():
            field.fill("")
    with page.expect_navigation():
        submit = ":is(button[type=submit], button:not([type]), input[type=submit])"
        button = form.locator(f"{submit}:not(.visually-hidden)").first
        button.focus()
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_desk_page_passes_axe(live_server, context, language):
    officer = makers.make_officer(first_name="Pia", last_name="Presse")
    examples = _desk_examples(officer)
    client = Client()
    client.force_login(officer)
    pages = desk_pages(client, examples)
    assert {"desk:queue", "desk:log", "desk:enquiry", "desk:journalist", "desk:rights",
            "desk:reports"} <= set(pages)  # fmt: skip
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    checked = _checker(context)
    for name, url in pages.items():
        checked.page.goto(live_server.url + url)
        checked.check(name)
    for name, selector in DESK_FORMS_WITH_ERRORS:
        checked.page.goto(live_server.url + pages[name])
        _send_emptied(checked.page, selector)
        shown = checked.page.locator(".is-invalid, .invalid-feedback, .errorlist, .alert-danger")
        assert shown.count() > 0, f"{name} {selector}: no error shown"
        checked.check(f"{name} {selector} with errors")
    assert not checked.found, checked.report()
