"""Where one desk page's time goes: its SQL with each statement's time, the mean of N requests,
and a cProfile of N more, in-process through the whole middleware stack (the test client),
on a kept bench database with production settings. Not a benchmark (no load, no wrk): the
profile behind a figure in docs/PERFORMANCE.md.

    SECRET_KEY=bench-only-not-secret .venv/bin/python -m bench.profile_page \\
        pressdesk_bench_desk_<pid>_<time> /desk/ [requests] [filter]

`filter` restricts the profile's lines to paths matching it (a regular expression, e.g.
"enquiries|pressdesk" for our own code). The bench's officer (`bench-officer`) must exist:
any bench_queue run on the database made it.
"""

import cProfile
import os
import pstats
import sys
import time

from bench.common import PG_SERVER, production_env


def main(database: str, url: str, requests: int, only: str) -> None:
    os.environ.update(production_env(f"{PG_SERVER}/{database}"))
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username="bench-officer"))
    for _warm_up in range(3):
        response = client.get(url)
    if response.status_code != 200:
        print(f"{url} answered {response.status_code}")
        raise SystemExit(1)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in queries.captured_queries:
        print(f"{float(query['time']) * 1000:7.1f} ms  {' '.join(query['sql'].split())[:140]}")
    started = time.perf_counter()
    for _request in range(requests):
        client.get(url)
    print(f"mean {(time.perf_counter() - started) / requests * 1000:.1f} ms over {requests}")
    profile = cProfile.Profile()
    profile.enable()
    for _request in range(requests):
        client.get(url)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(only, 45)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        raise SystemExit(2)
    main(
        sys.argv[1],
        sys.argv[2],
        int(sys.argv[3]) if len(sys.argv) > 3 else 30,
        sys.argv[4] if len(sys.argv) > 4 else "",
    )
