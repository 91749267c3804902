"""Issue #15 item 4: when the database goes away as the journalist sends the form, they see
the styled 503, and the browser's back button brings the form back with what they typed.

What this guards: the browser restores typed fields on Back only if the form allows it
(`autocomplete="off"` on the form fails this test) and the form page itself still renders
while the database is away (it reads the desk settings from the cache)."""

import pytest
from playwright.sync_api import Browser, expect

from tests.outage import site_through_cuttable_proxy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),  # what the server commits is flushed afterwards
]

TYPED = {
    "#id_first_name": "Kari",
    "#id_last_name": "Holm",
    "#id_outlet": "Aftenposten",
    "#id_email": "kari.holm@aftenposten.no",
    "#id_topic": "Ventetider i psykisk helsevern",
    "#id_question": "Har ventetidene gått ned etter opptrappingsplanen?",
}


def test_the_typed_form_survives_a_503_and_the_back_button(browser: Browser, tmp_path) -> None:
    with site_through_cuttable_proxy(tmp_path) as site:
        context = browser.new_context(locale="nb-NO")
        page = context.new_page()
        page.goto(site.base + "/enquiry/")
        for field, text in TYPED.items():
            page.fill(field, text)

        site.proxy.cut()  # PostgreSQL goes away between typing and sending
        page.get_by_role("button", name="Send henvendelsen").click()
        expect(page.get_by_role("heading", name="Midlertidig utilgjengelig")).to_be_visible()

        page.go_back()
        for field, text in TYPED.items():
            expect(page.locator(field)).to_have_value(text)
        context.close()
