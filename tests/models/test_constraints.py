"""Rules the database itself keeps, whatever code writes to it."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from enquiries.core.errors import DuplicateEmail
from enquiries.models import Enquiry, Journalist, Outlet
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_it_runs_on_postgresql():
    # The suite is meant for the production database; CI and `make test` use PostgreSQL.
    assert connection.vendor == "postgresql"


def test_duplicate_normalised_email_is_refused_with_a_clear_error():
    makers.make_journalist(email="ola.nordmann@vg.no")
    with pytest.raises(DuplicateEmail) as caught:
        makers.make_journalist(first_name="Ola", email=" Ola.Nordmann@VG.NO ")
    with translation.override("en"):
        assert str(caught.value) == "A journalist with this e-mail address is already registered."
    assert Journalist.objects.count() == 1


def test_database_refuses_duplicate_email_even_past_the_service():
    makers.make_journalist(email="ola.nordmann@vg.no")
    with pytest.raises(IntegrityError), transaction.atomic():
        Journalist.objects.create(first_name="X", last_name="Y", email="ola.nordmann@vg.no")


def test_journalists_without_email_may_be_many():
    makers.make_journalist(email=None, mobile="")
    makers.make_journalist(email=None, mobile="", first_name="Kari")
    assert Journalist.objects.filter(email__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("field", "value"), [("status", "lost"), ("kind", "gossip"), ("channel", "pigeon")]
)
def test_database_refuses_unknown_choices(field, value):
    enquiry = makers.make_enquiry()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enquiry.objects.filter(pk=enquiry.pk).update(**{field: value})


def test_database_refuses_deadline_before_receipt():
    enquiry = makers.make_enquiry()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enquiry.objects.filter(pk=enquiry.pk).update(
            deadline=enquiry.received_at - timezone.timedelta(hours=1)
        )


def test_database_refuses_duplicate_reference():
    first = makers.make_enquiry()
    second = makers.make_enquiry()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enquiry.objects.filter(pk=second.pk).update(reference=first.reference)


def test_outlet_names_are_unique_in_any_letter_case():
    Outlet.objects.create(name="Aftenposten")
    with pytest.raises(IntegrityError), transaction.atomic():
        Outlet.objects.create(name="AFTENPOSTEN")


@pytest.mark.postgres
def test_the_search_and_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'enquiries_%%'"
        )
        indexes = dict(cursor.fetchall())
    assert "USING gin (search_vector)" in indexes["enquiry_search_gin"]
    assert "gin_trgm_ops" in indexes["journalist_email_trgm"]
    assert "gin_trgm_ops" in indexes["outlet_name_trgm"]
    assert "received_at DESC, id DESC" in indexes["enquiry_queue_idx"]
