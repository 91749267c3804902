"""A refusal (a field error, a taken address, a missing enquiry) ends nothing but the call: a
caller that catches it inside its own transaction goes on. The services check before they
write and take no savepoint of their own, so this is what would break if a check moved after
the first write."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from enquiries.core.errors import DuplicateEmail, EnquiryNotFound
from enquiries.handling import contacts
from enquiries.handling import enquiries as handling
from enquiries.intake import log as intake
from enquiries.models import AuditEvent, Enquiry, Journalist, Message
from tests import makers

pytestmark = pytest.mark.django_db


def test_a_taken_address_refused_leaves_the_callers_transaction_working():
    makers.make_journalist()  # ola.nordmann@vg.no
    with transaction.atomic():
        with pytest.raises(DuplicateEmail):
            contacts.create_journalist(
                by=None, first_name="Ola", last_name="Kopi", email="OLA.Nordmann@vg.no"
            )
        assert Journalist.objects.count() == 1
        assert contacts.find_or_create_outlet(name="VG").name == "VG"


def test_a_bad_header_or_a_missing_enquiry_refused_leaves_the_callers_transaction_working():
    enquiry = makers.make_enquiry()
    with transaction.atomic():
        with pytest.raises(ValidationError):
            handling.add_message(
                enquiry_id=enquiry.pk, by=None, direction="in", body="Hei",
                subject="Hei\r\nBcc: noen@example.org",
            )  # fmt: skip
        with pytest.raises(EnquiryNotFound):
            handling.add_message(enquiry_id=enquiry.pk + 1000, by=None, direction="in", body="Hei")
        assert Message.objects.count() == 0
        handling.add_message(enquiry_id=enquiry.pk, by=None, direction="in", body="Hei")
    assert Message.objects.filter(enquiry=enquiry).count() == 1


def test_an_enquiry_refused_leaves_the_callers_transaction_working():
    with transaction.atomic():
        with pytest.raises(ValidationError):
            intake.log_enquiry(by=None, channel="phone", topic="")
        assert Enquiry.objects.count() == 0
        assert AuditEvent.objects.count() == 0
