"""Logging a call with the keyboard alone, counted key by key, in Debian's chromium: a known
journalist's call takes fewer than 40 keystrokes; Enter in the journalist field searches and a
fresh match list is never saved without a choice; an error takes the focus."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from enquiries.models import Enquiry
from tests import makers
from tests.browser.csp import violations, watch_csp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KEYSTROKE_BUDGET = 40


class CountedKeyboard:
    """The page's keyboard, counting every key pressed (each typed character is one)."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.count = 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
        self.count += times

    def tab_to(self, selector: str, limit: int = 20) -> None:
        for _ in range(limit):
            if self.page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
            self.press("Tab")
        pytest.fail(f"Tab never reached {selector}")


@pytest.fixture
def desk_page(live_server, page, settings):  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    client = Client()
    client.force_login(makers.make_officer())
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def _known_journalists():  # type: ignore[no-untyped-def]
    ola = makers.make_journalist(outlet=makers.make_outlet(name="VG"))
    makers.make_journalist(
        first_name="Kari",
        last_name="Nordmo",
        email="kari.nordmo@nrk.no",
        mobile="+47 415 22 901",
        outlet=makers.make_outlet(name="NRK", kind="broadcaster"),
    )
    return ola


def test_a_known_journalists_call_takes_fewer_than_40_keystrokes(live_server, desk_page):
    ola = _known_journalists()
    csp = watch_csp(desk_page)
    keys = CountedKeyboard(desk_page)
    desk_page.goto(f"{live_server.url}/desk/log/")

    keys.type("nordm")  # the cursor starts in the journalist field
    option = desk_page.get_by_role("option", name="Ola Nordmann")
    option.wait_for()
    keys.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    keys.press("Enter")
    assert desk_page.input_value("#id_journalist") == str(ola.pk)
    assert desk_page.input_value("#id_outlet_name") == "VG"
    keys.tab_to("#id_topic")
    keys.type("Ventetider")
    keys.press("Enter")  # Enter in the topic saves
    desk_page.wait_for_url("**/desk/enquiries/*/")

    enquiry = Enquiry.objects.get()
    assert (enquiry.journalist_id, enquiry.topic) == (ola.pk, "Ventetider")
    print(f"keystrokes for a known journalist's call: {keys.count}")  # noqa: T201
    assert keys.count < KEYSTROKE_BUDGET
    assert violations(desk_page, csp) == []


def test_enter_in_the_journalist_field_searches_and_never_saves_an_unchosen_match(
    live_server, desk_page
):
    _known_journalists()
    desk_page.goto(f"{live_server.url}/desk/log/")
    desk_page.fill("#id_topic", "Ventetider")
    desk_page.focus("#id_journalist_lookup")
    # Enter at once, before the typing pause would have searched: it searches now.
    desk_page.keyboard.type("nordm")
    desk_page.keyboard.press("Enter")
    options = desk_page.locator("#journalist-suggestions [role=option]")
    expect(options).to_have_count(2, timeout=30_000)  # a wait, generous for a loaded machine
    expect(desk_page.locator("[role=option][aria-selected=true]")).to_have_count(0)
    # The next Enter, on a list nobody has chosen from, does not save either: it says how.
    desk_page.keyboard.press("Enter")
    expect(desk_page.locator("#chosen-journalist")).not_to_be_empty()
    expect(options).to_have_count(2)
    assert desk_page.url.endswith("/desk/log/")
    assert desk_page.input_value("#id_journalist") == ""
    assert Enquiry.objects.count() == 0


def test_an_error_takes_the_focus_and_is_marked(live_server, desk_page):
    _known_journalists()
    desk_page.goto(f"{live_server.url}/desk/log/")
    desk_page.fill("#id_details", "Ringte om ventetider")
    desk_page.focus("#id_details")
    with desk_page.expect_navigation():
        desk_page.click("button.btn-primary[value=save]")
    assert desk_page.evaluate("document.activeElement.id") == "id_topic"
    topic = desk_page.locator("#id_topic")
    assert topic.get_attribute("aria-invalid") == "true"
    error_id = topic.get_attribute("aria-describedby")
    assert desk_page.locator(f"#{error_id}").inner_text().strip() != ""
    border = desk_page.evaluate(
        "getComputedStyle(document.getElementById('id_topic')).borderTopColor"
    )
    assert border != desk_page.evaluate(
        "getComputedStyle(document.getElementById('id_details')).borderTopColor"
    )
    assert Enquiry.objects.count() == 0
