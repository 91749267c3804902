"""Two officers open the same enquiry in two browsers: each is told of the other, through the
page's heartbeat (pressdesk/presence.js), and the notice goes when the other leaves."""

import pytest
from django.test import Client

from tests import makers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _signed_in(context, live_server, officer) -> None:
    client = Client()
    client.force_login(officer)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _beat(page) -> None:
    """What the page's timer does every 30 s, now: the script beats when the tab is shown."""
    with page.expect_response("**/presence/"):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_two_officers_see_each_other_and_the_notice_goes_when_one_leaves(
    live_server, browser, page, settings
):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    pia = makers.make_officer(username="pia", first_name="Pia", last_name="Presse")
    per = makers.make_officer(username="per", first_name="Per", last_name="Vakt")
    enquiry = makers.make_enquiry()
    url = f"{live_server.url}/desk/enquiries/{enquiry.pk}/"
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))

    _signed_in(page.context, live_server, pia)
    page.goto(url)
    notice = page.locator("#also-open")
    assert notice.is_hidden()

    other_context = browser.new_context(locale="nb-NO")
    _signed_in(other_context, live_server, per)
    other = other_context.new_page()
    other.goto(url)
    assert other.locator("#also-open").is_visible()
    assert "Pia Presse" in other.locator("#also-open-names").inner_text()

    _beat(page)
    notice.wait_for(state="visible")
    assert page.locator("#also-open-names").inner_text() == "Per Vakt"

    other.close(run_before_unload=True)  # Per's tab says it is leaving (a beacon)
    other_context.close()
    for _attempt in range(50):  # the beacon reaches the server on its own time: poll for it
        _beat(page)
        if notice.is_hidden():
            break
        page.wait_for_timeout(100)  # a poll interval, not a wait for nothing
    assert notice.is_hidden()  # long before Per's key would lapse (90 s)
    assert [text for text in errors if "Content Security Policy" in text] == []
