"""Load a desk at scale with PostgreSQL COPY: BENCH_SCALE enquiries (default 1,000,000), a
tenth as many journalists, as many messages as enquiries, audit events on some of them, and
the read audit's queue-page events (50 enquiry ids each) every READ_EVERY enquiries.

The skew is what a press office sees: most journalists write a handful of times, a few
thousand regulars write hundreds of times, one writes exactly 1,000 times; most enquiries
have no thread or a short one, some have long threads; one enquiry has 200 messages and
1,000 audit events. Topics are Norwegian health subjects ("ventetider", "vaksine", …).

Every column the app relies on is filled, the stored full-text vector included: it is built
with the expression of enquiries/core/search_index.py (topic A, topic 'simple' A,
details B, the thread C). Texts come from small template sets, so each distinct piece is
computed once and the pieces are joined with `||` exactly as the app joins them; the load
then checks a sample against the app's own refresh (see bench_queue.check_vectors).

python -m bench.seed DATABASE_URL      (a migrated, empty database)
"""

import json
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import phonenumbers
import psycopg

SUBJECTS = [
    "vaksine", "smittevern", "beredskap", "legemidler", "ventetider", "fastlege", "sykehus",
    "rusreform", "tannhelse", "kreftbehandling", "antibiotika", "influensa", "koronavirus",
    "meslinger", "luftkvalitet", "folkehelse", "overvekt", "psykiatri", "helsestatistikk",
    "fødselstall", "selvmordsforebygging", "tobakk", "snus", "alkohol", "abortnemnd",
    "organdonasjon", "screening", "diabetes", "demens", "hjemmetjenester", "sykefravær",
    "utmattelse", "legevakt", "ambulanse", "jordmor", "helsesykepleier", "kosthold",
]  # fmt: skip
QUALIFIERS = [
    "tall", "rapport", "veileder", "høring", "kostnader", "kapasitet", "mangel", "rutiner",
    "tilsyn", "avvik", "kritikk", "forsinkelser", "anbefaling", "forskning", "prioritering",
    "evaluering", "regelverk", "tilskudd", "kartlegging", "utvalg",
]  # fmt: skip
REGIONS = [
    "Oslo", "Viken", "Innlandet", "Vestfold", "Telemark", "Agder", "Rogaland", "Vestland",
    "Møre og Romsdal", "Trøndelag", "Nordland", "Troms", "Finnmark",
]  # fmt: skip
DETAILS = [
    "Journalisten ber om {t} for {r}. Hvor lang er ventetiden nå, og hva gjør etaten?",
    "Ønsker kommentar til {t} i {r} før publisering i morgen.",
    "Spør om ferske tall: {t}, fordelt på kommuner i {r}.",
    "Vil intervjue en fagperson om {t}. Gjelder saken også {r}?",
    "Ber om innsyn i dokumenter om {t} ({r}) og om saksbehandlingstiden.",
]
BODIES = [
    "Hei, takk for henvendelsen. Vi kommer tilbake til deg i løpet av dagen.",
    "Kan dere si noe om hvor mange som venter på behandling akkurat nå?",
    "Her er tallene du ba om, fordelt på fylke. Si fra om noe er uklart.",
    "Takk! Kan jeg sitere fagdirektøren på dette i artikkelen?",
    "Ja, det er greit. Husk at tallene er foreløpige og kan bli justert.",
    "Jeg trenger også en kommentar om kostnadene, helst før klokken 15.",
    "Vi har ikke oversikt over kostnadene ennå; rapporten kommer i neste kvartal.",
    "Når kan vi forvente den endelige evalueringen av ordningen?",
]
FIRST = [
    "Ola", "Kari", "Ingrid", "Magnus", "Sofie", "Jonas", "Emma", "Lars", "Nora", "Henrik",
    "Maja", "Sindre", "Ida", "Eirik", "Thea", "Åse", "Øystein", "Bjørn", "Sigrid", "Håkon",
    "Marit", "Tore", "Silje", "Anders", "Hanne", "Kristian", "Line", "Per", "Ragnhild", "Tuva",
    "Vegard", "Astrid", "Jørgen", "Solveig", "Espen", "Liv", "Geir", "Mari", "Ole", "Kjersti",
]  # fmt: skip
LAST = [
    "Nordmann", "Holm", "Solberg", "Berg", "Lunde", "Hansen", "Johansen", "Olsen", "Larsen",
    "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Johnsen",
    "Pettersen", "Eriksen", "Haugen", "Bakke", "Moen", "Dahl", "Strøm", "Sæther", "Aas",
    "Halvorsen", "Jacobsen", "Lie", "Ødegård", "Rønning", "Bråten", "Fjeld", "Vik", "Myhre",
    "Tveit", "Knutsen", "Eide", "Brekke", "Lien", "Ås",
]  # fmt: skip
MEDIA = [
    ("NRK", "broadcaster"), ("VG", "newspaper"), ("Aftenposten", "newspaper"),
    ("Dagbladet", "newspaper"), ("TV 2", "broadcaster"), ("NTB", "agency"), ("E24", "online"),
    ("Dagens Medisin", "online"), ("Bergens Tidende", "newspaper"), ("Adresseavisen", "newspaper"),
    ("Stavanger Aftenblad", "newspaper"), ("Nettavisen", "online"), ("Klassekampen", "newspaper"),
    ("Dagsavisen", "newspaper"), ("Khrono", "online"), ("Fædrelandsvennen", "newspaper"),
]  # fmt: skip
CHANNELS = ["email"] * 7 + ["phone"] * 6 + ["web_form"] * 5 + ["social", "in_person"]
ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A", " ": ""})
OSLO = ZoneInfo("Europe/Oslo")
SPAN = timedelta(days=3 * 365)  # the enquiries reach three years back
SPECIAL_JOURNALIST_ENQUIRIES = 1_000
HEAVY_MESSAGES = 200
HEAVY_AUDIT = 1_000
READ_EVERY = 20  # one seeded queue-page read event per this many enquiries


@dataclass
class Seeded:
    """What the benchmark needs to find again, and what was loaded."""

    enquiries: int = 0
    journalists: int = 0
    messages: int = 0
    outlets: int = 0
    audit_events: int = 0
    seconds: float = 0.0
    newest_enquiry: int = 0
    heavy_enquiry: int = 0  # 200 messages, 1,000 audit events
    busy_journalist: int = 0  # 1,000 enquiries
    busy_journalist_email: str = ""
    phone: str = ""  # a journalist's mobile, as an officer types it
    known_emails: list[str] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)


def _ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


_OSLO = ZoneInfo("Europe/Oslo")
_CLOSED = holidays.Norway(years=range(2020, 2031))


def _out_of_hours(epoch: float) -> bool:
    """As the app marks it with its default office hours (08-16, Norwegian working days)."""
    local = datetime.fromtimestamp(epoch, _OSLO)
    return local.weekday() >= 5 or local.date() in _CLOSED or not 8 <= local.hour < 16


def _copy(conn: psycopg.Connection, sql: str, lines: list[str]) -> None:
    with conn.cursor() as cursor, cursor.copy(sql) as copy:
        for start in range(0, len(lines), 20_000):
            copy.write("".join(lines[start : start + 20_000]))


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
"""
TABLES = [
    "enquiries_enquiry",
    "enquiries_message",
    "enquiries_journalist",
    "enquiries_outlet",
    "enquiries_auditevent",
]


def _session(conn: psycopg.Connection) -> None:
    conn.execute("SET maintenance_work_mem = '512MB'")
    conn.execute("SET synchronous_commit = off")
    # The loader writes consistent ids itself: no row-by-row foreign-key triggers.
    conn.execute("SET session_replication_role = replica")


def _parallel(url: str, statements: list[str]) -> None:
    """Run statements on two connections at once (index builds, VACUUM): two cores."""
    pending = list(statements)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            _session(conn)
            while True:
                with lock:
                    if not pending:
                        return
                    sql = pending.pop(0)
                try:
                    conn.execute(sql)
                except BaseException as exc:  # re-raised below, in the caller's thread
                    errors.append(exc)
                    return

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


MOBILE_PREFIXES = ("+479", "+4741", "+4746", "+4747", "+4748")  # every number in them is valid
LANDLINE_PREFIXES = ("+4722", "+4755")


def _valid_number(rng: random.Random, prefixes: tuple[str, ...]) -> str:
    """A number the app would have stored: E.164 and valid (the services re-read them with
    phonenumbers). Every 50th is checked with phonenumbers, which is too slow for all."""
    prefix = rng.choice(prefixes)
    number = prefix + str(rng.randrange(10 ** (11 - len(prefix)))).zfill(11 - len(prefix))
    if rng.random() < 0.02 and not phonenumbers.is_valid_number(phonenumbers.parse(number)):
        msg = f"the seed made an invalid phone number: {number}"
        raise ValueError(msg)
    return number


def _thread_text(topic: str, count: int) -> str:
    """The thread as search_index.py aggregates it: subject and body, oldest first."""
    parts = []
    for pos in range(count):
        subject = topic if pos % 2 == 0 else f"Sv: {topic}"
        parts.append(f"{subject} {BODIES[pos % len(BODIES)]}")
    return " ".join(parts)


def seed(url: str, *, scale: int, rng_seed: int = 14) -> Seeded:
    rng = random.Random(rng_seed)
    started = time.monotonic()
    out = Seeded()
    mark = time.monotonic()

    def step(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        out.steps[name] = round(now - mark, 1)
        mark = now
        print(f"  seed: {name} {out.steps[name]} s", flush=True)

    n_enq = scale
    n_jour = max(1_000, scale // 10)
    n_outlets = max(50, scale // 500)
    now_epoch = time.time() - 60
    start_epoch = now_epoch - SPAN.total_seconds()
    step_seconds = SPAN.total_seconds() / n_enq

    with psycopg.connect(url, autocommit=True) as conn:
        _session(conn)
        dropped = conn.execute(_INDEXES, [TABLES]).fetchall()
        for name, _definition in dropped:
            conn.execute(f'DROP INDEX "{name}"')

        # --- reference data -------------------------------------------------------------
        categories = ["Smittevern", "Helsetjenester", "Legemidler", "Folkehelse", "Psykisk helse",
                      "Rus og tobakk", "Beredskap"]  # fmt: skip
        _copy(
            conn,
            "COPY enquiries_topiccategory (id, name, is_active) FROM STDIN",
            [f"{i + 1}\t{name}\tt\n" for i, name in enumerate(categories)],
        )
        outlet_lines = []
        created = _ts(start_epoch - 86_400)
        for i in range(n_outlets):
            if i < len(MEDIA):
                name, kind = MEDIA[i]
            else:
                town = REGIONS[i % len(REGIONS)]
                name, kind = f"{town}s Avis {i}", ["newspaper", "online", "freelance"][i % 3]
            outlet_lines.append(f"{i + 1}\t{name}\t{kind}\t{created}\n")
        _copy(conn, "COPY enquiries_outlet (id, name, kind, created_at) FROM STDIN", outlet_lines)

        # --- journalists: a tenth of them work for the big media ----------------------------
        journalist_outlet = [0] * (n_jour + 1)
        emails: list[str | None] = [None] * (n_jour + 1)
        lines = []
        for j in range(1, n_jour + 1):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            outlet = (
                1 + int(len(MEDIA) * rng.random() ** 2)
                if rng.random() < 0.5
                else 1 + int(n_outlets * rng.random())
            )
            journalist_outlet[j] = outlet
            domain = f"medium{outlet}.no"
            email = f"{first.translate(ASCII)}.{last.translate(ASCII)}{j}@{domain}".lower()
            if j != 1 and rng.random() < 0.05:
                email = None  # a caller who gave no address
            emails[j] = email
            mobile = _valid_number(rng, MOBILE_PREFIXES)
            phone = _valid_number(rng, LANDLINE_PREFIXES) if rng.random() < 0.2 else ""
            lines.append(
                f"{j}\t{first}\t{last}\t{email or '\\N'}\t{phone}\t{mobile}\t{outlet}\t"
                f"{created}\t{created}\n"
            )
        _copy(
            conn,
            "COPY enquiries_journalist (id, first_name, last_name, email, phone, mobile, "
            "outlet_id, created_at, updated_at) FROM STDIN",
            lines,
        )
        out.busy_journalist = 1
        out.busy_journalist_email = emails[1] or ""
        national = lines[9].split("\t")[5][3:]  # someone's mobile, as an officer types it
        out.phone = f"{national[:3]} {national[3:5]} {national[5:]}"
        out.known_emails = [e for e in emails[2:2000] if e]
        del lines
        step("journalists and outlets")

        # --- who wrote each enquiry, how long its thread is --------------------------------
        regulars = rng.sample(range(2, n_jour + 1), min(2_000, n_jour - 1))
        journalist_of = [0] * n_enq
        busy_every = max(1, n_enq // SPECIAL_JOURNALIST_ENQUIRIES)
        for i in range(n_enq):
            if i % busy_every == 0 and i // busy_every < SPECIAL_JOURNALIST_ENQUIRIES:
                journalist_of[i] = 1
            elif rng.random() < 0.03:
                journalist_of[i] = 0  # an anonymous caller
            elif rng.random() < 0.3:
                journalist_of[i] = regulars[int(len(regulars) * rng.random() ** 1.3)]
            else:
                journalist_of[i] = rng.randint(2, n_jour)
        # Messages: most enquiries none or a short thread, some long ones; n_enq in total.
        counts = []
        for _ in range(n_enq):
            r = rng.random()
            if r < 0.5:
                counts.append(0)
            elif r < 0.8:
                counts.append(1)
            elif r < 0.92:
                counts.append(2)
            elif r < 0.975:
                counts.append(rng.randint(3, 6))
            elif r < 0.997:
                counts.append(rng.randint(7, 20))
            else:
                counts.append(rng.randint(21, 80))
        heavy = n_enq - 1 - max(10, n_enq // 200)  # a recent enquiry, not on the first page
        counts[heavy] = HEAVY_MESSAGES
        counts[n_enq - 1] = 0  # the newest has no thread yet
        surplus = sum(counts) - n_enq
        while surplus:
            i = rng.randrange(n_enq - 1)
            if i == heavy:
                continue
            if surplus > 0 and counts[i] > 0:
                counts[i] -= 1
                surplus -= 1
            elif surplus < 0:
                counts[i] += 1
                surplus += 1
        step("skew drawn")

        # --- the distinct texts and their vectors, each computed once ----------------------
        n_topics = len(SUBJECTS) * len(QUALIFIERS)
        topics = [f"{SUBJECTS[t % len(SUBJECTS)]} {QUALIFIERS[t // len(SUBJECTS)]}"
                  for t in range(n_topics)]  # fmt: skip
        n_details = n_topics * len(REGIONS) * len(DETAILS)

        def details_text(d: int) -> str:
            t, rest = divmod(d, len(REGIONS) * len(DETAILS))
            region, form = divmod(rest, len(DETAILS))
            return DETAILS[form].format(t=topics[t], r=REGIONS[region])

        topic_of = [rng.randrange(n_topics) for _ in range(n_enq)]
        threads = sorted({(topic_of[i], counts[i]) for i in range(n_enq) if counts[i]})
        conn.execute(
            "CREATE TEMP TABLE seed_topic (no int PRIMARY KEY, text text, v tsvector);"
            "CREATE TEMP TABLE seed_details (no int PRIMARY KEY, text text, v tsvector);"
            "CREATE TEMP TABLE seed_thread (topic int, n int, text text, v tsvector,"
            " PRIMARY KEY (topic, n))"
        )
        _copy(conn, "COPY seed_topic (no, text) FROM STDIN",
              [f"{t}\t{_esc(topics[t])}\n" for t in range(n_topics)])  # fmt: skip
        _copy(conn, "COPY seed_details (no, text) FROM STDIN",
              [f"{d}\t{_esc(details_text(d))}\n" for d in range(n_details)])  # fmt: skip
        _copy(conn, "COPY seed_thread (topic, n, text) FROM STDIN",
              [f"{t}\t{n}\t{_esc(_thread_text(topics[t], n))}\n" for t, n in threads])  # fmt: skip
        conn.execute(
            "UPDATE seed_topic SET v = setweight(to_tsvector('norwegian', text), 'A')"
            " || setweight(to_tsvector('simple', text), 'A')"
        )
        conn.execute("UPDATE seed_details SET v = setweight(to_tsvector('norwegian', text), 'B')")
        conn.execute("UPDATE seed_thread SET v = setweight(to_tsvector('norwegian', text), 'C')")
        step(f"vectors of {n_topics + n_details + len(threads):,} distinct texts")
        topic_vec = dict(conn.execute("SELECT no, v::text FROM seed_topic").fetchall())
        details_vec = dict(conn.execute("SELECT no, v::text FROM seed_details").fetchall())
        thread_vec = {
            (t, n): v for t, n, v in conn.execute("SELECT topic, n, v::text FROM seed_thread")
        }
        # `a || b` shifts b's positions past a's last one; PostgreSQL does it, once per
        # distinct combination, so the stored vector is the app's expression to the byte.
        combos: dict[tuple[int, int, int], str] = {}

        # --- enquiries -----------------------------------------------------------------------
        year_starts = sorted(
            datetime(year, 1, 1, tzinfo=OSLO).timestamp()
            for year in range(datetime.fromtimestamp(start_epoch, UTC).year - 1,
                              datetime.fromtimestamp(now_epoch, UTC).year + 2)
        )  # fmt: skip
        year_numbers: dict[int, int] = {}
        details_of = [0] * n_enq
        for i in range(n_enq):
            details_of[i] = topic_of[i] * len(REGIONS) * len(DETAILS) + rng.randrange(
                len(REGIONS) * len(DETAILS)
            )
        needed = {(topic_of[i], details_of[i], counts[i]) for i in range(n_enq)}
        conn.execute("CREATE TEMP TABLE seed_combo (t int, d int, n int)")
        _copy(conn, "COPY seed_combo FROM STDIN", [f"{t}\t{d}\t{n}\n" for t, d, n in needed])
        for t, d, n, v in conn.execute(
            "SELECT c.t, c.d, c.n, (st.v || sd.v || coalesce(th.v, ''::tsvector))::text"
            " FROM seed_combo c JOIN seed_topic st ON st.no = c.t"
            " JOIN seed_details sd ON sd.no = c.d"
            " LEFT JOIN seed_thread th ON th.topic = c.t AND th.n = c.n"
        ):
            combos[(t, d, n)] = v
        del topic_vec, details_vec, thread_vec
        step(f"{len(combos):,} distinct vectors joined")

        year_index = 0
        lines = []
        received = [0.0] * n_enq
        for i in range(n_enq):
            epoch = start_epoch + i * step_seconds
            received[i] = epoch
            while year_index + 1 < len(year_starts) and epoch >= year_starts[year_index + 1]:
                year_index += 1
            year = datetime.fromtimestamp(year_starts[year_index] + 43_200, OSLO).year
            number = year_numbers.get(year, 0) + 1
            year_numbers[year] = number
            age = n_enq - i
            status = (
                "new" if age <= 300 else "in_progress" if age <= 2_000
                else "answered" if rng.random() < 0.15 else "closed"
            )  # fmt: skip
            kind = "foi" if rng.random() < 0.02 else "press"
            if kind == "foi" and status == "closed":
                status = "routed" if rng.random() < 0.5 else "closed"
            channel = rng.choice(CHANNELS)
            j = journalist_of[i]
            stamp = _ts(epoch)
            deadline = _ts(epoch + 3_600 * rng.randint(2, 72)) if rng.random() < 0.35 else "\\N"
            answered = _ts(epoch + 7_200) if status in {"answered", "closed", "routed"} else "\\N"
            closed = _ts(epoch + 86_400) if status == "closed" else "\\N"
            lines.append(
                f"{i + 1}\tP-{year}-{number:05d}\t{stamp}\t{channel}\t{kind}\t{status}\t"
                f"{journalist_outlet[j] if j else '\\N'}\t{j or '\\N'}\t"
                f"{_esc(topics[topic_of[i]])}\t{_esc(details_text(details_of[i]))}\t"
                f"{deadline}\t{1 + topic_of[i] % len(categories)}\tf\t{stamp}\t{stamp}\t"
                f"{answered}\t{closed}\t{combos[(topic_of[i], details_of[i], counts[i])]}\t"
                "\t{}\t"  # outlet_kind: set only when an erasure empties the enquiry
                # first_reply_at: the thread alternates in/out from received + 1 min, so the
                # first reply is its second message (the triggers that keep it are off here)
                f"{_ts(epoch + 120) if counts[i] >= 2 else '\\N'}\t"
                f"{'t' if _out_of_hours(epoch) else 'f'}\n"
            )
            if len(lines) == 50_000 or i == n_enq - 1:
                _copy(
                    conn,
                    "COPY enquiries_enquiry (id, reference, received_at, channel, kind, status,"
                    " outlet_id, journalist_id, topic, details, deadline, topic_category_id,"
                    " opted_out, created_at, updated_at, answered_at, closed_at, search_vector,"
                    " outlet_kind, form_details, first_reply_at, out_of_hours)"
                    " FROM STDIN",
                    lines,
                )
                lines = []
        _copy(
            conn,
            "COPY enquiries_referencecounter (year, last_number) FROM STDIN",
            [f"{year}\t{number}\n" for year, number in year_numbers.items()],
        )
        step("enquiries")

        # --- messages, in the order search_index.py reads them (sent_at, id) ---------------
        message_id = 0
        for i in range(n_enq):
            j = journalist_of[i]
            address = emails[j] or "ukjent@example.no"
            for pos in range(counts[i]):
                message_id += 1
                incoming = pos % 2 == 0
                sent = _ts(received[i] + 60 * (pos + 1))
                lines.append(
                    f"{message_id}\t{i + 1}\t{'in' if incoming else 'out'}\t{sent}\t"
                    f"{address if incoming else 'presse@helseetaten.example'}\t"
                    f"{'presse@helseetaten.example' if incoming else address}\t"
                    f"{topics[topic_of[i]] if incoming else 'Sv: ' + topics[topic_of[i]]}\t"
                    f"{BODIES[pos % len(BODIES)]}\t<{message_id}@bench.example>\t{sent}\tf\n"
                )
            if len(lines) >= 50_000 or i == n_enq - 1:
                _copy(
                    conn,
                    "COPY enquiries_message (id, enquiry_id, direction, sent_at, from_address,"
                    " to_address, subject, body, message_id, created_at, automatic) FROM STDIN",
                    lines,
                )
                lines = []
        step("messages")

        # --- audit: a tenth of the enquiries have a short history; one has 1,000 events ----
        audit_id = 0
        for i in range(n_enq):
            events = HEAVY_AUDIT if i == heavy else (rng.randint(1, 4) if rng.random() < 0.1 else 0)
            for e in range(events):
                audit_id += 1
                action, detail = (
                    ("enquiry.created", "{}") if e == 0
                    else ("enquiry.status", '{"status": "answered"}') if e % 7 == 3
                    else ("enquiry.viewed", "{}")
                )  # fmt: skip
                lines.append(
                    f"{audit_id}\t{_ts(received[i] + 30 * e)}\t{action}\t{i + 1}\t\\N\t{detail}"
                    "\t[]\t[]\n"
                )
            # The read audit: a queue page of the 50 enquiries up to this one, every
            # READ_EVERY enquiries, with their journalists (what the GIN index holds).
            if i % READ_EVERY == READ_EVERY - 1 and i >= 49:
                audit_id += 1
                shown = list(range(i - 48, i + 2))
                people = sorted({journalist_of[k - 1] for k in shown} - {0})
                lines.append(
                    f"{audit_id}\t{_ts(received[i] + 3600)}\tread.queue\t\\N\t\\N\t{{}}"
                    f"\t{json.dumps(shown)}\t{json.dumps(people)}\n"
                )
            if len(lines) >= 50_000 or i == n_enq - 1:
                _copy(
                    conn,
                    "COPY enquiries_auditevent (id, at, action, enquiry_id, journalist_id, detail,"
                    " enquiry_ids, journalist_ids) FROM STDIN",
                    lines,
                )
                lines = []
        step("audit events")

        for table, last in (
            ("enquiries_enquiry", n_enq),
            ("enquiries_message", message_id),
            ("enquiries_journalist", n_jour),
            ("enquiries_outlet", n_outlets),
            ("enquiries_auditevent", audit_id),
            ("enquiries_topiccategory", len(categories)),
        ):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {last})")

    # The GIN index takes longest: it starts first, the others share the second core.
    definitions = sorted((d for _n, d in dropped), key=lambda d: "gin" not in d.lower())
    _parallel(url, definitions)
    step(f"{len(definitions)} indexes rebuilt")
    # The reports' daily summary: its triggers did not fire during the load (replica role).
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pressdesk_report_rebuild()")
        conn.execute("ANALYZE enquiries_reportday")
    step("report summary built")
    _parallel(url, [f"VACUUM ANALYZE {table}" for table in TABLES])
    step("VACUUM ANALYZE")

    out.enquiries = n_enq
    out.journalists = n_jour
    out.messages = message_id
    out.outlets = n_outlets
    out.audit_events = audit_id
    out.newest_enquiry = n_enq
    out.heavy_enquiry = heavy + 1
    out.seconds = round(time.monotonic() - started, 1)
    return out


if __name__ == "__main__":
    import os

    result = seed(sys.argv[1], scale=int(os.environ.get("BENCH_SCALE", "1000000")))
    print({k: v for k, v in result.__dict__.items() if k != "known_emails"})
