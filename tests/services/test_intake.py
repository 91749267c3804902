from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.utils import timezone

from enquiries.intake import log as intake
from enquiries.models import AuditEvent, Enquiry
from tests import makers

pytestmark = pytest.mark.django_db


def test_logging_gives_a_reference_of_the_year_received():
    received = timezone.datetime(2026, 3, 2, 10, 0, tzinfo=timezone.get_current_timezone())
    first = makers.make_enquiry(received_at=received)
    second = makers.make_enquiry(received_at=received)
    assert first.reference == "P-2026-00001"
    assert second.reference == "P-2026-00002"


def test_the_year_follows_oslo_not_utc():
    # 23:30 UTC on New Year's Eve is already next year in Oslo.
    received = timezone.datetime(2025, 12, 31, 23, 30, tzinfo=timezone.UTC)
    assert makers.make_enquiry(received_at=received).reference == "P-2026-00001"


def test_logging_writes_an_audit_event_with_ids_only():
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    event = AuditEvent.objects.get(action="enquiry.created")
    assert event.enquiry_id == enquiry.pk
    assert event.detail == {}


@pytest.mark.postgres
def test_the_search_vector_finds_inflected_words_in_topic_and_details():
    enquiry = makers.make_enquiry(topic="Beredskapsrapporten", details="Lagre av smittevernutstyr")
    makers.make_enquiry(topic="Noe helt annet", details="")

    def found(words: str) -> list[int]:
        query = SearchQuery(words, config="norwegian")
        return list(Enquiry.objects.filter(search_vector=query).values_list("pk", flat=True))

    assert found("beredskapsrapport") == [enquiry.pk]
    assert found("smittevernutstyret") == [enquiry.pk]  # Norwegian stemming


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_at": timezone.now() + timedelta(days=1)}, "received_at"),
        ({"deadline": timezone.now() - timedelta(days=2)}, "deadline"),
        ({"topic": "   "}, "topic"),
        ({"topic": "Rapport\x00"}, "topic"),
        ({"topic": "x" * 201}, "topic"),
        ({"details": "Hei\x07"}, "details"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_stored(changes, field):
    arguments = {"by": None, "channel": "phone", "topic": "Om veilederen", **changes}
    with pytest.raises(ValidationError) as caught:
        intake.log_enquiry(**arguments)
    assert field in caught.value.message_dict
    assert Enquiry.objects.count() == 0
    assert AuditEvent.objects.count() == 0
