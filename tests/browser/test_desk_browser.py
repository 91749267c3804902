"""An officer logs a phone call with the keyboard alone in Debian's chromium, then finds it in
the queue and by search, with no Content Security Policy violation on any page.

With PRESSDESK_SCREENSHOTS=1 the same session refreshes docs/screenshots/*.png; a normal run
leaves the tree alone.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from enquiries.models import Enquiry, TopicCategory
from tests import makers

pytestmark = [
    pytest.mark.browser,
    # The live server sees the test's rows only when they are committed; the migrations'
    # rows (the officers' group, the settings) are restored afterwards for the other tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation: " + event.violatedDirective
                + " " + event.blockedURI);
});
"""


def _shoot(page, name: str) -> None:
    if os.environ.get("PRESSDESK_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_an_officer_logs_a_call_by_keyboard_and_finds_it(live_server, page, settings):
    # The live server speaks plain HTTP; production's Secure cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_CODE = "en"
    officer = makers.make_officer(first_name="Pia", last_name="Presse")
    TopicCategory.objects.create(name="Helsestatistikk")
    vg = makers.make_outlet(name="VG")
    ola = makers.make_journalist(outlet=vg)
    makers.make_journalist(
        first_name="Kari",
        last_name="Holm",
        email="kari.holm@nrk.no",
        mobile="+47 415 22 901",
        outlet=makers.make_outlet(name="NRK", kind="broadcaster"),
    )
    for topic in ["Smittevernutstyr i lagrene", "Tall for legemiddelmangel", "ME-veilederen"]:
        makers.make_enquiry(topic=topic, journalist=ola)

    client = Client()
    client.force_login(officer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.add_init_script(REPORT_CSP)
    csp_messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # Log the call: the cursor starts in the journalist field.
    page.goto(f"{live_server.url}/desk/log/")
    page.keyboard.type("nordm")
    option = page.get_by_role("option", name="Ola Nordmann")
    option.wait_for()
    assert page.get_attribute("#id_journalist_lookup", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    _shoot(page, "log")
    page.keyboard.press("Enter")
    assert page.input_value("#id_journalist") == str(ola.pk)
    assert page.input_value("#id_outlet_name") == "VG"
    _tab_to(page, "#id_topic")
    page.keyboard.type("Ventetider i spesialisthelsetjenesten")
    page.keyboard.press("Tab")
    page.keyboard.type("Vil ha tall per helseforetak før fredag.")
    _tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk/enquiries/*/")

    enquiry = Enquiry.objects.get(topic="Ventetider i spesialisthelsetjenesten")
    assert (enquiry.journalist_id, enquiry.channel, enquiry.created_by_id) == (
        ola.pk,
        "phone",
        officer.pk,
    )
    assert enquiry.reference in page.content()
    _shoot(page, "enquiry")

    # In the queue, newest first.
    page.goto(f"{live_server.url}/desk/")
    first_row = page.locator("table.desk-queue tbody tr").first
    assert enquiry.reference in first_row.inner_text()
    _shoot(page, "queue")

    # By search: an inflected form of a word in the topic, highlighted.
    page.get_by_role("searchbox").fill("ventetid")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    results = page.locator("table.desk-queue tbody")
    assert enquiry.reference in results.inner_text()
    assert results.locator("mark").count() >= 1

    # And by part of the journalist's name.
    page.get_by_role("searchbox").fill("Nordm")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    results = page.locator("table.desk-queue tbody")
    assert enquiry.reference in results.inner_text()
    assert results.locator("mark", has_text="Nordm").count() >= 1

    page.goto(f"{live_server.url}/desk/journalists/{ola.pk}/")
    assert enquiry.reference in page.content()
    _shoot(page, "journalist")

    assert csp_messages == []
