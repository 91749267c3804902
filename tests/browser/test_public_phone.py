"""The public form on a phone in Debian's chromium (issue #16, items 6 and 7): the error
summary takes the focus and its links put the cursor in the field; the count is live; every
public page weighs under 100 KB compressed and asks no other host for anything.

With PRESSDESK_SCREENSHOTS=1 it refreshes docs/screenshots/public-form-errors-*.png.
"""

import gzip
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import signing
from playwright.sync_api import Browser, Page, Response, expect

from tests import makers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BUDGET = 100_000  # bytes transferred per page, compressed


@pytest.fixture(autouse=True)
def _human_speed_is_enough(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000


def _shoot(page: Page, name: str) -> None:
    if os.environ.get("PRESSDESK_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_error_summary_takes_the_focus_and_leads_to_each_field(browser: Browser, live_server):
    context = browser.new_context(locale="nb-NO", **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/enquiry/")
    page.fill("#id_first_name", "Kari")
    page.fill("#id_email", "kari.holm")
    page.locator("#pd-submit").tap()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Rett disse 5 tingene for å sende skjemaet:")
    _shoot(page, "public-form-errors-nb")
    expect(page.locator("#id_first_name")).to_have_value("Kari")  # what was typed is kept

    summary.get_by_role("link", name="Skriv inn en e-postadresse på riktig form").tap()
    expect(page.locator("#id_email")).to_be_focused()
    expect(page.locator("label[for=id_email]")).to_be_in_viewport()  # with its field
    _shoot(page, "public-form-errors-nb-field")
    context.close()


def test_the_count_says_what_is_left_and_what_is_too_much(browser: Browser, live_server):
    context = browser.new_context(locale="nb-NO", **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/enquiry/")
    count = page.locator("#id_question_count")
    expect(count).to_have_text("5\u00a0000 tegn igjen")
    page.fill("#id_question", "Hvorfor?")
    expect(count).to_have_text("4\u00a0992 tegn igjen")
    pasted = "x" * 5_010
    page.fill("#id_question", pasted)
    expect(count).to_have_text("10 tegn for mye")
    expect(count).to_have_class("form-text pd-count text-danger fw-semibold")
    assert page.input_value("#id_question") == pasted  # nothing cut off
    # Screen readers hear it once typing pauses, from a live region beside it.
    live = page.locator("#id_question_count + [aria-live=polite]")
    expect(live).to_have_text("10 tegn for mye")
    context.close()


def _public_pages(base: str) -> list[str]:
    receipt = signing.dumps(makers.make_enquiry().pk, salt="pressdesk.receipt")
    return [
        "/",
        "/enquiry/",
        f"/enquiry/received/{receipt}/",
        "/privacy/",
        "/privacy/request/",
        "/accounts/login/",
    ]


def _transferred(response: Response) -> int:
    """Bytes on the wire in production: whitenoise serves static files pre-compressed (gzip or
    brotli, written by collectstatic) and the proxy gzips pages (README, production). The live
    server compresses nothing, so what gzip makes of each body is counted, with the headers."""
    sizes = response.request.sizes()
    if response.headers.get("content-encoding"):
        return sizes["responseHeadersSize"] + sizes["responseBodySize"]
    return sizes["responseHeadersSize"] + len(gzip.compress(response.body(), compresslevel=6))


@pytest.mark.parametrize("page_with", ["first visit", "errors"])
def test_each_public_page_is_light_and_asks_no_other_host(browser: Browser, live_server, page_with):
    origin = urlsplit(live_server.url).netloc
    for path in _public_pages(live_server.url):
        context = browser.new_context(locale="nb-NO", **PHONE)  # an empty cache each time
        page = context.new_page()
        responses: list[Response] = []
        requested: list[str] = []
        page.on("request", lambda request, seen=requested: seen.append(request.url))
        page.on("response", lambda response, seen=responses: seen.append(response))
        page.goto(live_server.url + path)
        if page_with == "errors" and page.locator("#pd-submit").count():
            # Everything the first page asked for has arrived (a late favicon would otherwise
            # land in the list, its body gone with the navigation), then only the page that
            # answers counts, with what the browser has cached.
            page.wait_for_load_state("networkidle")
            responses.clear()
            page.locator("#pd-submit").tap()
            page.locator("#error-summary").wait_for()
        page.wait_for_load_state("networkidle")
        others = [
            url for url in requested
            if not url.startswith("data:") and urlsplit(url).netloc != origin
        ]  # fmt: skip
        assert others == [], path
        timing = page.evaluate(
            "performance.getEntriesByType('resource').map((entry) => entry.name)"
        )
        assert [url for url in timing if urlsplit(url).netloc != origin] == [], path
        weight = sum(_transferred(response) for response in responses)
        assert weight < BUDGET, f"{path}: {weight} bytes"
        context.close()


def test_the_copy_of_your_information_reads_as_a_page_and_downloads_as_json(
    browser: Browser, live_server
):
    import json

    from enquiries.privacy import links

    makers.make_enquiry(journalist=makers.make_journalist(), topic="Legemiddelmangel")
    _row, token = links.issue_link(purpose="access", email="ola.nordmann@vg.no")
    context = browser.new_context(locale="nb-NO", accept_downloads=True, **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/privacy/confirm/access/{token}/")
    page.fill("#id_email", "ola.nordmann@vg.no")
    page.locator("#pd-confirm").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hva pressekontoret har lagret om deg"
    )
    expect(page.get_by_role("heading", name="Ola Nordmann")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#pd-json").tap()
    assert download.value.suggested_filename == "my-information.json"
    copy = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert copy["journalists"][0]["enquiries"][0]["topic"] == "Legemiddelmangel"
    context.close()
