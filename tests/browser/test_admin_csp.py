"""The login page and Django admin render under our CSP with no violation in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from tests import makers
from tests.browser.csp import violations, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_admin_pages_have_no_csp_violation(page: Page, live_server):
    makers.make_enquiry(journalist=makers.make_journalist(outlet=makers.make_outlet()))
    from django.contrib.auth.models import User

    makers.add_totp(
        User.objects.create_superuser("admin", "admin@helseetaten.example", makers.PASSWORD)
    )
    console = watch_csp(page)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Logg inn på pressevakten")).to_be_visible()
    assert violations(page, console) == []

    # The admin sends to the same login, and its second factor.
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_login", "admin")
    page.fill("#id_password", makers.PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.fill("#id_code", makers.totp_code())
    page.locator("form[action='/accounts/2fa/authenticate/'] button[type=submit]").first.click()
    expect(page.locator("#site-name")).to_be_visible()
    for path in [
        "/admin/",
        "/admin/enquiries/enquiry/",
        "/admin/enquiries/outlet/",
        "/admin/enquiries/outlet/add/",
        "/admin/enquiries/desksettings/1/change/",
        "/admin/enquiries/auditevent/",
        "/admin/auth/user/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert violations(page, console) == [], path
    # The admin's own scripts ran (not blocked): the sidebar toggle is wired up.
    page.goto(f"{live_server.url}/admin/enquiries/outlet/")
    expect(page.locator("#toggle-nav-sidebar")).to_be_visible()
