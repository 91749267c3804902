"""The benchmark's steps inside Django (run as a subprocess with the bench's settings):

    python -m bench.django_side session           an officer and a session key
    python -m bench.django_side vectors N         the loaded vectors == the app's own refresh
    python -m bench.django_side queries PAGES     SQL queries per page (second request)

Prints one JSON line. Query counts come from the test client and CaptureQueriesContext on
the same database and settings as gunicorn; each page is requested twice and the second
(steady state: per-process caches warm) is counted.
"""

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.formload import stamp  # noqa: E402

OFFICER = "bench-officer"


def officer() -> User:
    user, created = User.objects.get_or_create(username=OFFICER)
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="Press officers"))
    # An officer has a second factor (without one the desk sends to enrolment); the bench
    # logs in with force_login, so the secret is never used.
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    return user


def session() -> dict[str, object]:
    client = Client()
    client.force_login(officer())
    return {"session": client.cookies["sessionid"].value}


def vectors(sample: int) -> dict[str, object]:
    """Recompute a sample of vectors with the app's own service; any difference fails."""
    from enquiries.core import search_index

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM enquiries_enquiry TABLESAMPLE SYSTEM (1) LIMIT %s", [sample])
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT id FROM enquiries_enquiry e WHERE EXISTS (SELECT 1 FROM enquiries_message m"
            " WHERE m.enquiry_id = e.id) ORDER BY id DESC LIMIT %s",
            [sample],
        )
        ids += [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT e.id FROM enquiries_enquiry e JOIN enquiries_message m"
            " ON m.enquiry_id = e.id GROUP BY e.id ORDER BY count(*) DESC LIMIT 5"
        )
        ids += [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "CREATE TEMP TABLE bench_vectors AS"
            " SELECT id, search_vector FROM enquiries_enquiry WHERE id = ANY(%s)",
            [ids],
        )
        search_index.refresh(enquiry_ids=ids)
        cursor.execute(
            "SELECT count(*) FROM bench_vectors b JOIN enquiries_enquiry e USING (id)"
            " WHERE e.search_vector IS DISTINCT FROM b.search_vector"
        )
        (different,) = cursor.fetchone()
    return {"checked": len(set(ids)), "different": different}


def queries(pages: list[dict[str, str]]) -> dict[str, object]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer())
    public = Client(HTTP_HOST="127.0.0.1")
    secret = os.environ["SECRET_KEY"]
    counts = {}
    for page in pages:
        who = client if page["who"] == "officer" else public
        found = []
        for attempt in range(2):
            data = dict(page.get("data") or {})
            if page["key"] == "form_post":
                _key, data["stamp"] = stamp(secret)
                data["email"] = f"tellende.{time.time_ns()}.{attempt}@example.no"
            with CaptureQueriesContext(connection) as captured:
                if page["method"] == "POST":
                    response = who.post(page["path"], data, REMOTE_ADDR=f"10.250.0.{attempt + 1}")
                else:
                    response = who.get(page["path"])
            found.append((response.status_code, len(captured)))
        status, count = found[-1]
        if status != (302 if page["key"] == "form_post" else 200):
            msg = f"{page['path']} answered {status} to the test client"
            raise RuntimeError(msg)
        counts[page["key"]] = {"status": status, "queries": count}
    return counts


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "session":
        result = session()
    elif what == "vectors":
        result = vectors(int(sys.argv[2]))
    else:
        result = queries(json.loads(sys.argv[2]))
    print("DJANGOJSON " + json.dumps(result), flush=True)
