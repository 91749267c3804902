"""A mail taken in is found by search at once: its subject, its body, and the answers that join
its thread (the index is refreshed once a mail, in the mail's own transaction)."""

import pytest

from enquiries.intake import inbound_mail
from enquiries.models import Enquiry
from tests.intake.test_poll_inbox import mail

pytestmark = pytest.mark.django_db


def _found(officer_client, text: str) -> list[str]:
    response = officer_client.get("/desk/search/", {"q": text})
    return [hit.enquiry.reference for hit in response.context["hits"]]


def test_a_new_mail_and_the_answer_that_joins_it_are_found_by_their_words(officer_client):
    first = inbound_mail.ingest(
        mail(1, subject="Ventetider i psykiatrien", body="Gjelder barne- og ungdomspsykiatri."),
        durable=False,
    )
    assert first.outcome == inbound_mail.NEW
    reference = Enquiry.objects.get(pk=first.enquiry.pk).reference
    assert _found(officer_client, "ventetider") == [reference]
    assert _found(officer_client, "ungdomspsykiatri") == [reference]

    answer = inbound_mail.ingest(
        mail(2, subject="Re: Ventetider", body="Og tallene for Rogaland?",
             extra="In-Reply-To: <m1@vg.no>\r\nReferences: <m1@vg.no>\r\n"),
        durable=False,
    )  # fmt: skip
    assert answer.outcome == inbound_mail.JOINED
    assert _found(officer_client, "rogaland") == [reference]
