"""The journalist directory and a merge in Debian's chromium: find a duplicate in the
directory, compare the two cards side by side, choose the duplicate's address, review and
confirm; no Content Security Policy violation on the way.

With PRESSDESK_SCREENSHOTS=1 it refreshes docs/screenshots/journalists.png, merge.png and
merge-confirm.png.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from enquiries.models import Journalist
from enquiries.privacy.rights import open_rights_request
from tests import makers
from tests.browser.csp import violations, watch_csp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("PRESSDESK_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_an_officer_finds_a_duplicate_and_merges_it_field_by_field(live_server, page, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    officer = makers.make_officer(first_name="Pia", last_name="Presse")
    vg, nrk = makers.make_outlet(name="VG"), makers.make_outlet(name="NRK", kind="broadcaster")
    ola = makers.make_journalist(email="ola.nordmann@vg.no", mobile="+47 400 33 431", outlet=vg)
    duplicate = makers.make_journalist(
        first_name="Ola", email="ola@nordmann.no", mobile="", phone="+47 22 33 44 55", outlet=vg
    )
    for first, last, outlet in [("Kari", "Holm", nrk), ("Per", "Aas", vg), ("Ingrid", "Berg", nrk)]:
        makers.make_journalist(
            first_name=first, last_name=last, email=f"{first.lower()}@{outlet.name.lower()}.no",
            mobile="", outlet=outlet,
        )  # fmt: skip
    makers.make_enquiry(journalist=duplicate, topic="Smittevernutstyr i lagrene")
    open_rights_request(
        by=officer,
        kind="access",
        channel="phone",
        journalist=ola,
        requester_name="Ola Nordmann",
        identity_check="call_back",
    )

    client = Client()
    client.force_login(officer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    csp = watch_csp(page)

    page.goto(f"{live_server.url}/desk/journalists/")
    rows = page.locator("table.journalist-directory tbody tr")
    assert rows.count() == 5
    assert rows.first.inner_text().startswith("Aas, Per")
    page.get_by_label("Finn en journalist").fill("nordm")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert rows.count() == 2
    assert page.url == f"{live_server.url}/desk/journalists/"  # the name is not in the URL
    _shoot(page, "journalists")

    page.get_by_role("link", name="Nordmann, Ola").first.click()
    page.wait_for_url(f"**/desk/journalists/{ola.pk}/")
    assert "Ringt tilbake" in page.locator("table.journalist-rights").inner_text()
    page.select_option("#merge-duplicate", str(duplicate.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Sammenlign og slå sammen").click()
    compare = page.locator("table.merge-compare")
    assert "ola.nordmann@vg.no" in compare.inner_text()
    assert "ola@nordmann.no" in compare.inner_text()
    page.check("#email-duplicate")
    page.check("#phone-duplicate")
    _shoot(page, "merge")
    with page.expect_navigation():
        page.get_by_role("button", name="Se over sammenslåingen").click()
    result = page.locator("table.merge-result")
    assert "ola.nordmann@vg.no" in result.locator("del").inner_text()
    assert Journalist.objects.filter(pk=duplicate.pk).exists()  # nothing yet
    _shoot(page, "merge-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft sammenslåing").click()

    ola.refresh_from_db()
    assert (ola.email, ola.phone, ola.mobile) == ("ola@nordmann.no", "+4722334455", "+4740033431")
    assert not Journalist.objects.filter(pk=duplicate.pk).exists()
    assert "Smittevernutstyr i lagrene" in page.content()
    assert violations(page, csp) == []
