"""FOI requests on the desk: the suggestion and its one-click confirmation, the routing's
status, retry now, the case number, the alert and the kind filter."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries.mail import outbox
from enquiries.models import Enquiry, FoiRouting, OutboundEmail
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def press_enquiry() -> Enquiry:
    return makers.make_enquiry(
        topic="Avtalen med leverandøren",
        details="Vi ber om innsyn i avtalen og vedleggene.",
        journalist=makers.make_journalist(),
    )


def test_the_suggestion_is_confirmed_by_the_officer_and_routes_the_request(
    officer_client, press_enquiry
):
    page = officer_client.get(f"/desk/enquiries/{press_enquiry.pk}/").content.decode()
    assert 'id="foi-suggestion"' in page
    assert not FoiRouting.objects.exists()  # a suggestion only
    response = officer_client.post(f"/desk/enquiries/{press_enquiry.pk}/reclassify/")
    assert response.status_code == 302
    press_enquiry.refresh_from_db()
    assert press_enquiry.kind == "foi"
    assert press_enquiry.foi_routing.status == "queued"
    page = officer_client.get(f"/desk/enquiries/{press_enquiry.pk}/").content.decode()
    assert 'id="foi-suggestion"' not in page
    assert 'id="routing-status"' in page
    assert "routing-queued" in page


def test_a_failed_routing_shows_retry_now_and_it_queues_it_again(
    officer_client, press_enquiry, smtp
):
    officer_client.post(f"/desk/enquiries/{press_enquiry.pk}/reclassify/")
    routing = FoiRouting.objects.get()
    smtp.inbox.answer = "550 No such mailbox"
    outbox.deliver(email_id=routing.delivery_id)
    page = officer_client.get(f"/desk/enquiries/{press_enquiry.pk}/").content.decode()
    assert "routing-failed" in page
    assert 'id="routing-retry"' in page
    assert "SMTP 550" in page
    officer_client.post(f"/desk/enquiries/{press_enquiry.pk}/routing/retry/")
    routing.refresh_from_db()
    assert routing.status == "queued"
    smtp.inbox.answer = "250 OK"
    assert outbox.deliver(email_id=routing.delivery_id) == "sent"
    page = officer_client.get(f"/desk/enquiries/{press_enquiry.pk}/").content.decode()
    assert "routing-sent" in page
    assert 'id="routing-retry"' not in page
    # A second "retry now" (a double click, an old tab) changes nothing.
    officer_client.post(f"/desk/enquiries/{press_enquiry.pk}/routing/retry/")
    routing.refresh_from_db()
    assert routing.status == "sent"


def test_the_case_number_is_recorded_and_a_bad_one_keeps_the_page(
    officer_client, press_enquiry, smtp
):
    officer_client.post(f"/desk/enquiries/{press_enquiry.pk}/reclassify/")
    outbox.deliver(email_id=FoiRouting.objects.get().delivery_id)
    url = f"/desk/enquiries/{press_enquiry.pk}/routing/case-number/"
    response = officer_client.post(url, {"case_number": "x" * 101})
    assert response.status_code == 400
    assert "x" * 101 in response.content.decode()  # what was typed is kept
    officer_client.post(url, {"case_number": "2026/1234"})
    assert FoiRouting.objects.get().case_number == "2026/1234"
    page = officer_client.get(f"/desk/enquiries/{press_enquiry.pk}/").content.decode()
    assert "2026/1234" in page


def test_routing_actions_on_an_enquiry_without_a_routing_are_404(officer_client, press_enquiry):
    for action in ("routing/retry/", "routing/case-number/"):
        response = officer_client.post(f"/desk/enquiries/{press_enquiry.pk}/{action}")
        assert response.status_code == 404


def test_the_queue_alerts_to_requests_not_forwarded_within_an_hour(
    officer_client, press_enquiry, office_clock
):
    Enquiry.objects.filter(pk=press_enquiry.pk).update(
        received_at=timezone.now() - timedelta(hours=3)
    )
    officer_client.post(f"/desk/enquiries/{press_enquiry.pk}/reclassify/")
    page = officer_client.get("/desk/").content.decode()
    assert 'id="foi-alerts"' in page
    assert press_enquiry.reference in page


def test_routed_requests_leave_the_queue_and_the_kind_filter_shows_them(
    officer_client, press_enquiry, smtp
):
    officer_client.post(f"/desk/enquiries/{press_enquiry.pk}/reclassify/")
    outbox.deliver(email_id=FoiRouting.objects.get().delivery_id)
    assert press_enquiry.reference not in officer_client.get("/desk/").content.decode()
    page = officer_client.get("/desk/?kind=foi").content.decode()
    assert press_enquiry.reference in page
    assert "kind-foi" in page
    assert OutboundEmail.objects.filter(kind="foi_acknowledgement").count() == 1
