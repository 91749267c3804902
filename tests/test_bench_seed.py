"""`make bench` is not run by `make test`, so nothing else notices when a migration adds a
column the bench's COPY does not fill (it happened: `outlet_kind`). Seed a small desk into a
database of this test's own and check the app can read it."""

import psycopg
import pytest
from django.conf import settings

from bench.common import PG_SERVER, bench_database
from bench.seed import seed

pytestmark = pytest.mark.postgres


def test_the_bench_seed_loads_into_todays_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("the bench seeds PostgreSQL")
    monkeypatch.delenv("BENCH_KEEP_DB", raising=False)  # never keep this one
    with bench_database("seedcheck") as (url, _reused):
        assert url.startswith(PG_SERVER)
        seeded = seed(url, scale=600)
        with psycopg.connect(url) as conn:
            enquiries = conn.execute("SELECT count(*) FROM enquiries_enquiry").fetchone()
            found = conn.execute(
                "SELECT count(*) FROM enquiries_enquiry WHERE search_vector IS NOT NULL"
            ).fetchone()
    assert enquiries == (seeded.enquiries,) == (600,)
    assert found == (600,)
