"""No 500 from a race (issue #15, TESTING.md 7): a double click on the form with an address
nobody has used yet. Both posts run at once on their own database connections; the second
waits for the first's new contact and then finds the address taken. Both clicks get the one
receipt."""

import threading

import pytest
from django.core import signing
from django.db import connection, transaction

from enquiries.forms.public import new_form_stamp
from enquiries.models import Enquiry, Journalist, OutboundEmail
from tests import makers
from tests.clients import FormClient as Client
from tests.tasks.helpers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RECEIPT = "pressdesk.receipt"


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else one snapshot a transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_a_double_click_with_a_new_address_returns_the_one_receipt_to_both(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000
    makers.make_outlet(name="NRK")  # a known outlet: the race is on the contact alone
    form = {
        "first_name": "Kari", "last_name": "Nordmann", "outlet": "NRK",
        "email": "kari.nordmann@nrk.no", "phone": "", "mobile": "",
        "topic": "Beredskapslager", "question": "Hvor store er lagrene?",
        "stamp": new_form_stamp(), "website": "",
    }  # fmt: skip
    responses: dict[int, object] = {}

    def click(number: int) -> None:
        try:
            client = Client(raise_request_exception=False)
            responses[number] = client.post("/enquiry/", form)
        finally:
            connection.close()  # this thread's own connection

    with transaction.atomic():
        # Hold back every new enquiry until both clicks are inside their transactions: the
        # first with its new contact written and waiting here, the second waiting for it.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE enquiries_enquiry IN SHARE MODE")
        clicks = [threading.Thread(target=click, args=(n,)) for n in (1, 2)]
        for thread in clicks:
            thread.start()
        wait_for(lambda: _waiting_on_locks() == 2, timeout=30, what="both clicks to wait")
    for thread in clicks:
        thread.join(timeout=30)

    assert [responses[n].status_code for n in (1, 2)] == [302, 302]
    # The one receipt: the same enquiry, signed (the signatures' times may differ by a second).
    receipts = [
        signing.loads(responses[n]["Location"].rstrip("/").rsplit("/", 1)[1], salt=RECEIPT)
        for n in (1, 2)
    ]
    assert receipts == [Enquiry.objects.get().pk] * 2
    assert Enquiry.objects.count() == 1
    assert Journalist.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
