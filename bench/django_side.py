"""The benchmark's steps inside Django (run as a subprocess with the bench's settings):

    python -m bench.django_side session [auditor] an officer (or an auditor) and a session key
    python -m bench.django_side vectors N         the loaded vectors == the app's own refresh
    python -m bench.django_side queries PAGES     SQL queries per page (second request)
    python -m bench.django_side audit N J         N read-audit writes of a queue page, and
                                                  journalist J's 90-day readers, timed

Prints one JSON line. Query counts come from the test client and CaptureQueriesContext on
the same database and settings as gunicorn; each page is requested twice and the second
(steady state: per-process caches warm) is counted.
"""

import json
import os
import sys
import time
from urllib.parse import urlencode

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
AUDITOR = "bench-auditor"


def officer(username: str = OFFICER) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="Press officers"))
        if username == AUDITOR:
            user.groups.add(Group.objects.get(name="Auditors"))
    # An officer has a second factor (without one the desk sends to enrolment); the bench
    # logs in with force_login, so the secret is never used.
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    return user


def session(username: str = OFFICER) -> dict[str, object]:
    client = Client()
    client.force_login(officer(username))
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
    auditor = Client(HTTP_HOST="127.0.0.1")
    auditor.force_login(officer(AUDITOR))
    public = Client(HTTP_HOST="127.0.0.1")
    secret = os.environ["SECRET_KEY"]
    counts = {}
    for page in pages:
        who = {"officer": client, "auditor": auditor}.get(page["who"], public)
        found = []
        for attempt in range(2):
            data = dict(page.get("data") or {})
            if page["key"] == "form_post":
                _key, data["stamp"] = stamp(secret)
                data["email"] = f"tellende.{time.time_ns()}.{attempt}@example.no"
            with CaptureQueriesContext(connection) as captured:
                if page["method"] == "POST":
                    # Urlencoded, as browsers send it (the public form refuses multipart).
                    response = who.post(
                        page["path"],
                        urlencode(data),
                        content_type="application/x-www-form-urlencoded",
                        REMOTE_ADDR=f"10.250.0.{attempt + 1}",
                    )
                else:
                    response = who.get(page["path"])
            found.append((response.status_code, len(captured)))
        status, count = found[-1]
        if status != (302 if page["key"] == "form_post" else 200):
            msg = f"{page['path']} answered {status} to the test client"
            raise RuntimeError(msg)
        counts[page["key"]] = {"status": status, "queries": count}
    return counts


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        f"p{p}": round(ordered[min(len(ordered) - 1, len(ordered) * p // 100)], 3)
        for p in (50, 95, 99)
    }


def _paired(user: User, *, pairs: int) -> dict[str, object]:
    """Each page and its unaudited twin requested alternately (in-process, the whole
    middleware stack), so the machine's load drifts under both alike: medians of each and
    the median of the pairwise differences, in ms."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    cases = {
        "queue_first": (("GET", "/desk/", None), ("GET", "/bench/unaudited/desk/", None)),
        "search_phone": (  # a GET since #19, as officers search
            ("GET", "/desk/search/?" + urlencode({"q": "958 29 923"}), None),
            ("GET", "/bench/unaudited/search/?" + urlencode({"q": "958 29 923"}), None),
        ),
    }
    out: dict[str, object] = {}
    for key, (on, off) in cases.items():
        timings: dict[str, list[float]] = {"on": [], "off": []}
        for attempt in range(pairs + 2):
            for label, (method, path, text) in (("on", on), ("off", off))[:: 1 - 2 * (attempt % 2)]:
                start = time.perf_counter()
                if method == "GET":
                    response = client.get(path)
                else:
                    response = client.post(
                        path,
                        urlencode({"q": text}),  # the test client does not check CSRF
                        content_type="application/x-www-form-urlencoded",
                    )
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    msg = f"{path} answered {response.status_code}"
                    raise RuntimeError(msg)
                if attempt >= 2:  # two warm-up pairs
                    timings[label].append(elapsed)
        differences = [a - b for a, b in zip(timings["on"], timings["off"], strict=True)]
        out[key] = {
            "pairs": pairs,
            "on_p50": _percentiles(timings["on"])["p50"],
            "off_p50": _percentiles(timings["off"])["p50"],
            "difference_p50": _percentiles(differences)["p50"],
        }
    return out


def audit(runs: int, journalist_id: int) -> dict[str, object]:
    """The read audit's own cost on this database: one record_reads of a queue page (the
    newest 50 enquiries and their journalists, as the queue writes it, each committed on its
    own), and the card's readers query for a journalist. Milliseconds."""
    from enquiries.core import audit as audit_trail
    from enquiries.models import AuditAction, AuditEvent, Enquiry
    from enquiries.privacy.reads import journalist_readers

    user = officer()
    rows = list(
        Enquiry.objects.order_by("-received_at", "-id").values_list("id", "journalist_id")[:50]
    )
    enquiry_ids = [pk for pk, _j in rows]
    journalist_ids = [j for _pk, j in rows]
    # Alternately: record_reads (its own transaction, no wait for the WAL flush) and the same
    # row by a plain autocommit INSERT (which waits for the flush), so load drifts alike.
    writes: list[float] = []
    flushed: list[float] = []
    made = []
    for attempt in range(2 * runs):
        start = time.perf_counter()
        if attempt % 2:
            event = AuditEvent.objects.create(
                actor=user,
                action=AuditAction.QUEUE_LISTED,
                enquiry_ids=sorted(set(enquiry_ids)),
                journalist_ids=sorted({j for j in journalist_ids if j}),
            )
        else:
            event = audit_trail.record_reads(
                actor=user,
                action=AuditAction.QUEUE_LISTED,
                enquiry_ids=enquiry_ids,
                journalist_ids=journalist_ids,
            )
        (flushed if attempt % 2 else writes).append((time.perf_counter() - start) * 1000)
        made.append(event.pk if event else None)
    AuditEvent.objects.filter(pk__in=[pk for pk in made if pk]).delete()
    reads = []
    found = 0
    for _ in range(max(5, runs // 20)):
        start = time.perf_counter()
        found = len(journalist_readers(journalist_id=journalist_id))
        reads.append((time.perf_counter() - start) * 1000)
    return {
        "paired": _paired(user, pairs=max(20, runs // 5)),
        "writes": runs,
        "write_ms": _percentiles(writes),
        "write_flushed_ms": _percentiles(flushed),
        "readers_ms": _percentiles(reads),
        "readers_rows": found,
        "events_listing_journalist": AuditEvent.objects.filter(
            audit_trail.listing_journalist(journalist_id)
        ).count(),
    }


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "session":
        result = session(AUDITOR if sys.argv[2:] == ["auditor"] else OFFICER)
    elif what == "vectors":
        result = vectors(int(sys.argv[2]))
    elif what == "audit":
        result = audit(int(sys.argv[2]), int(sys.argv[3]))
    else:
        result = queries(json.loads(sys.argv[2]))
    print("DJANGOJSON " + json.dumps(result), flush=True)
