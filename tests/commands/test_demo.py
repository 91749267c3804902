import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from enquiries.handling import duty
from enquiries.models import DeskSettings, Enquiry, Journalist, Outlet
from tests import logins

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_realistic_data_spread_over_more_than_three_years():
    output = _seed()
    assert re.search(r"\d+ new outlets, 16 new journalists, 240 new enquiries", output)
    assert Outlet.objects.filter(name="NRK", kind="broadcaster").exists()
    assert Journalist.objects.filter(email="ola.nordmann@vg.no").exists()
    oldest = Enquiry.objects.order_by("received_at").first().received_at
    assert oldest < timezone.now() - timedelta(days=3 * 366)
    assert Enquiry.objects.filter(topic__icontains="ME/CFS").exists()
    assert Enquiry.objects.filter(status="new").exists()
    assert Enquiry.objects.filter(status="closed").exists()
    assert "3 new canned replies" in output  # the reply form has something to offer
    assert "{officer_name}" in DeskSettings.objects.get().signature


def test_seed_demo_is_idempotent():
    _seed()
    counts = (Outlet.objects.count(), Journalist.objects.count(), Enquiry.objects.count())
    again = _seed()
    assert "0 new categories, 0 new outlets, 0 new journalists, 0 new enquiries" in again
    assert "0 new canned replies" in again
    assert (Outlet.objects.count(), Journalist.objects.count(), Enquiry.objects.count()) == counts


def test_demo_officer_credentials_log_in_to_admin(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_officer", stdout=out)
    username = re.search(r"username: (\S+)", out.getvalue()).group(1)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    client = Client()
    # No second factor asked: the demo officer has none, and DEBUG is on (the page says so).
    response = logins.post_password(
        client, username=username, password=password, next_url="/admin/"
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert duty.duty_officer().username == username  # on press duty: new enquiries go there
    desk = client.get("/desk/")
    assert desk.status_code == 200
    assert "DEBUG" in desk.content.decode()  # the notice says why no second factor was asked
    # A second run renews the password; the old one stops working.
    call_command("create_demo_officer", stdout=StringIO())
    refused = logins.post_password(Client(), username=username, password=password)
    assert refused.status_code == 200  # the form again, no session
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_the_demo_officer_must_enrol_like_anyone_without_debug(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_officer", stdout=out)
    username = re.search(r"username: (\S+)", out.getvalue()).group(1)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    settings.DEBUG = False
    client = Client()
    assert logins.post_password(client, username=username, password=password).status_code == 302
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"


def test_demo_officer_is_refused_in_production():
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("create_demo_officer", stdout=StringIO())
