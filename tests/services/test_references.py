"""Many enquiries created at once, from several threads with their own connections."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from enquiries.intake import log as intake
from enquiries.models import Enquiry

THREADS = 8
PER_THREAD = 15


def _log_some(barrier: threading.Barrier) -> list[str]:
    try:
        barrier.wait()
        return [
            intake.log_enquiry(by=None, channel="phone", topic="Samtidig").reference
            for _ in range(PER_THREAD)
        ]
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_enquiries_get_distinct_gapless_references():
    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        batches = list(pool.map(_log_some, [barrier] * THREADS))
    references = [reference for batch in batches for reference in batch]
    assert len(references) == len(set(references)) == THREADS * PER_THREAD
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))
    assert Enquiry.objects.count() == THREADS * PER_THREAD
