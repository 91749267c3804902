"""Every desk GET filter and every desk and public POST form, driven by Hypothesis with
boundary values: far dates, negative and huge ids, 100,000-character strings, NUL and
control characters, malformed UTF-8 (lone surrogates), empty values. Whatever arrives, the
answer is never a 5xx (TESTING.md: "Never a 500").

TARGETS below is the one list: a new URL or form is added there (its fields are read from
its form class, so a new field is driven without being named). A URL pattern that is in
neither TARGETS nor NOT_DRIVEN fails test_every_url_is_driven_or_says_why.

Each example runs in a savepoint that is rolled back, so examples do not see each other's
writes and the shared fixtures (one enquiry, one FOI request, two journalists, one rights
request) are the same for every example.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, quote_from_bytes

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from enquiries.forms.desk import (
    MERGE_FIELDS,
    AssignForm,
    CaseNumberForm,
    EnquiryEditForm,
    JournalistForm,
    LogCallForm,
    MergeChoiceForm,
    MergeForm,
    MessageForm,
    QueueFilterForm,
    SearchForm,
    StatusForm,
)
from enquiries.forms.people import DirectoryPageForm, DirectorySearchForm
from enquiries.forms.public import EnquiryForm, RightsLinkForm, new_form_stamp
from enquiries.forms.replies import ReplyForm
from enquiries.forms.reports import PeriodForm
from enquiries.forms.rights import (
    ErasureForm,
    ExportForm,
    ExtensionForm,
    OptOutForm,
    RightsRequestForm,
)
from enquiries.privacy.rights import open_rights_request
from tests import makers

pytestmark = pytest.mark.django_db

# --- The values --------------------------------------------------------------------------
# By the kind of field they are aimed at; every field also gets the others now and then.

HUGE_TEXT = b"x" * 100_000
DATES = [b"0001-01-01", b"9999-12-31", b"1899-12-31", b"3000-01-01", b"2999-12-31",
         b"1900-01-01", b"2026-02-30", b"-2026-01-01", b""]  # fmt: skip
DATETIMES = [b"0001-01-01T00:00", b"9999-12-31T23:59", b"2999-12-31T23:59",
             b"1900-01-01T00:00", b"2026-03-29T02:30", b"2026-10-25T02:30",
             b"31.12.9999 23:59", b"0001-01-01 00:00:00+14:00", b""]  # fmt: skip
NUMBERS = [b"-1", b"0", b"2147483648", b"9223372036854775808", b"-9223372036854775809",
           b"99999999999999999999999999999999", b"1e309", b"NaN", b""]  # fmt: skip
CHECKBOXES = [b"on", b"", b"false", b"\x00", b"2"]
TEXTS = [
    HUGE_TEXT,
    "æøå ÆØÅ ✓ 🙂".encode() * 20_000,
    b"\x00",
    b"a\x00b",
    b"\x01\x08\x0b\x1f\x7f",
    "\u0085\u2028\u202e".encode(),
    b"\xed\xa0\x80",  # a lone surrogate, as a careless client encodes one
    b"\xff\xfe\xc3",  # not UTF-8 at all
    b"a@b.no\r\nBcc: x@evil.example",
    b'"><img src=x onerror=alert(1)>',
    b" ",
    b"",
]
EVERYTHING = [*DATES, *DATETIMES, *NUMBERS, *TEXTS]
IDS = ["0", "-1", "2147483648", "9223372036854775808", "99999999999999999999"]


def _aimed_at(form_field: forms.Field | None) -> list[bytes]:
    if isinstance(form_field, forms.DateTimeField):
        return DATETIMES
    if isinstance(form_field, forms.DateField):
        return DATES
    if isinstance(form_field, forms.BooleanField):
        return CHECKBOXES
    if isinstance(form_field, forms.IntegerField | forms.TypedChoiceField):
        return NUMBERS
    if isinstance(form_field, forms.ChoiceField):
        return [*NUMBERS[:3], *TEXTS]
    return TEXTS


def _field_values(form_field: forms.Field | None) -> st.SearchStrategy[bytes | None]:
    """None leaves the field as the valid baseline has it."""
    return st.one_of(
        st.none(),
        st.sampled_from(_aimed_at(form_field)),
        st.sampled_from(EVERYTHING),
        st.text(max_size=10).map(str.encode),
        st.binary(max_size=10),
    )


# --- The targets -------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """The rows every example may point at (ids as text, for the URL and the fields)."""

    enquiry: str
    foi: str
    journalist: str
    other_journalist: str
    request: str


@dataclass(frozen=True)
class Target:
    name: str  # the URL name; every pattern is driven or listed in NOT_DRIVEN
    method: str
    path: str  # with {enquiry}, {foi}, {journalist}, {request}, {fmt}, {purpose}, {token}
    form_classes: tuple[type[forms.Form], ...] = ()
    extra: tuple[str, ...] = ()  # parameters that are not form fields
    baseline: Callable[[World], dict[str, str]] = field(default=lambda world: {})
    anonymous: bool = False

    @property
    def fields(self) -> dict[str, forms.Field | None]:
        """Each parameter with its form field (None for the extras), read from the forms."""
        found: dict[str, forms.Field | None] = dict.fromkeys(self.extra)
        for form in self.form_classes:
            found.update(form.base_fields)
        return dict(sorted(found.items()))

    def sweep(self, world: World) -> list[dict[str, bytes | None]]:
        """Rows that give every field each value aimed at its kind at least once; a field the
        valid baseline fills keeps its value on odd rows (then every value of the others
        reaches past the form, e.g. the search's dates with a good search text), so it gets
        every other one of its own."""
        aimed = {name: _aimed_at(form_field) for name, form_field in self.fields.items()}
        filled = set(self.baseline(world))
        rows = max((len(values) for values in aimed.values()), default=0)
        return [
            {
                name: (
                    None
                    if name in filled and row % 2
                    else values[(row // 2 if name in filled else row) % len(values)]
                )
                for name, values in aimed.items()
            }
            for row in range(rows)
        ]


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _today() -> str:
    return timezone.localdate().isoformat()


TARGETS = [
    # GET: the queue's filters, and every page that takes ids in its path.
    Target("desk:queue", "GET", "/desk/", (QueueFilterForm,), ("after",)),
    Target("desk:rights", "GET", "/desk/rights/"),
    Target("desk:reports", "GET", "/desk/reports/", (PeriodForm,)),
    Target("desk:reports_csv", "GET", "/desk/reports/channel.csv", (PeriodForm,)),
    Target("desk:log", "GET", "/desk/log/"),
    Target("desk:enquiry", "GET", "/desk/enquiries/{enquiry}/"),
    Target("desk:enquiry_edit", "GET", "/desk/enquiries/{enquiry}/edit/"),
    Target("desk:journalist", "GET", "/desk/journalists/{journalist}/"),
    Target("desk:journalist_edit", "GET", "/desk/journalists/{journalist}/edit/"),
    Target("desk:journalists", "GET", "/desk/journalists/", (DirectoryPageForm,)),
    Target("desk:journalist_merge", "GET", "/desk/journalists/{journalist}/merge/", (MergeForm,)),
    Target("enquiry_receipt", "GET", "/enquiry/received/{token}/", anonymous=True),
    Target("privacy_confirm", "GET", "/privacy/confirm/{purpose}/{token}/", anonymous=True),
    # POST: every form.
    Target(
        "desk:search",
        "GET",
        "/desk/search/",
        (SearchForm, QueueFilterForm),
        ("page",),
        baseline=lambda world: {"q": "veilederen"},
    ),
    Target("desk:suggest_journalists", "POST", "/desk/suggest/journalists/", extra=("q",)),
    Target("desk:suggest_outlets", "POST", "/desk/suggest/outlets/", extra=("q",)),
    Target(
        "desk:log",
        "POST",
        "/desk/log/",
        (LogCallForm,),
        ("action",),
        lambda world: {
            "channel": "phone",
            "received_at": _now(),
            "topic": "Vaksinelager",
            "new_first_name": "Kari",
            "new_last_name": "Nordmann",
            "new_email": "kari.nordmann@nrk.no",
        },
    ),
    Target(
        "desk:enquiry_edit",
        "POST",
        "/desk/enquiries/{enquiry}/edit/",
        (EnquiryEditForm,),
        baseline=lambda world: {
            "received_at": _now(),
            "channel": "phone",
            "kind": "press",
            "topic": "Vaksinelager",
        },
    ),
    Target(
        "desk:enquiry_message",
        "POST",
        "/desk/enquiries/{enquiry}/messages/",
        (MessageForm,),
        baseline=lambda world: {"direction": "note", "body": "Ringte tilbake."},
    ),
    Target(
        "desk:enquiry_reply",
        "POST",
        "/desk/enquiries/{enquiry}/reply/",
        (ReplyForm,),
        baseline=lambda world: {
            "key": "0b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11",
            "subject": "Re: Veilederen",
            "body": "Hei Ola, svaret kommer her.",
            "action": "send_answered",
        },
    ),
    Target(
        "desk:enquiry_assign", "POST", "/desk/enquiries/{enquiry}/assign/", (AssignForm,), ("me",)
    ),
    Target(
        "desk:enquiry_status",
        "POST",
        "/desk/enquiries/{enquiry}/status/",
        (StatusForm,),
        baseline=lambda world: {"status": "answered"},
    ),
    Target("desk:enquiry_reclassify", "POST", "/desk/enquiries/{enquiry}/reclassify/"),
    Target(
        "desk:enquiry_presence", "POST", "/desk/enquiries/{enquiry}/presence/", extra=("leaving",)
    ),
    Target("desk:routing_retry", "POST", "/desk/enquiries/{foi}/routing/retry/"),
    # The mail id from the same ids (a mail of another enquiry, or none: 404, never a 500).
    Target(
        "desk:mail_retry", "POST", "/desk/enquiries/{enquiry}/mail/{foi}/retry/", extra=("confirm",)
    ),
    Target(
        "desk:routing_case_number",
        "POST",
        "/desk/enquiries/{foi}/routing/case-number/",
        (CaseNumberForm,),
        baseline=lambda world: {"case_number": "2026/1234"},
    ),
    Target(
        "desk:journalist_edit",
        "POST",
        "/desk/journalists/{journalist}/edit/",
        (JournalistForm,),
        baseline=lambda world: {"first_name": "Ola", "last_name": "Nordmann"},
    ),
    Target(
        "desk:journalists",
        "POST",
        "/desk/journalists/",
        (DirectorySearchForm,),
        baseline=lambda world: {"q": "nordm"},
    ),
    Target(
        "desk:journalist_merge",
        "POST",
        "/desk/journalists/{journalist}/merge/",
        (MergeChoiceForm,),
        ("action",),
        baseline=lambda world: {
            "duplicate": world.other_journalist,
            "action": "confirm",
            **dict.fromkeys(MERGE_FIELDS, "duplicate"),
        },
    ),
    Target(
        "desk:journalist_erase",
        "POST",
        "/desk/journalists/{journalist}/erase/",
        (ErasureForm,),
        baseline=lambda world: {
            "confirm": "Nordmann",
            "channel": "phone",
            "requester_name": "Ola Nordmann",
            "identity_check": "call_back",
        },
    ),
    Target(
        "desk:journalist_export",
        "POST",
        "/desk/journalists/{journalist}/export.{fmt}",
        (ExportForm,),
        baseline=lambda world: {
            "channel": "email",
            "requester_name": "Ola Nordmann",
            "identity_check": "registered_email",
        },
    ),
    Target(
        "desk:rights_new",
        "POST",
        "/desk/rights/new/",
        (RightsRequestForm,),
        baseline=lambda world: {
            "kind": "objection",
            "channel": "letter",
            "received_on": _today(),
            "requester_name": "Ola Nordmann",
            "identity_check": "in_person",
        },
    ),
    Target(
        "desk:rights_extend",
        "POST",
        "/desk/rights/{request}/extend/",
        (ExtensionForm,),
        baseline=lambda world: {"months": "1", "reason": "Mange saker", "told_on": _today()},
    ),
    Target("desk:rights_complete", "POST", "/desk/rights/{request}/complete/"),
    Target(
        "desk:opt_out",
        "POST",
        "/desk/rights/opt-out/",
        (OptOutForm,),
        baseline=lambda world: {"email": "ola.nordmann@vg.no"},
    ),
    Target(
        "enquiry_form",
        "POST",
        "/enquiry/",
        (EnquiryForm,),
        baseline=lambda world: {
            "first_name": "Kari",
            "last_name": "Nordmann",
            "outlet": "NRK",
            "email": "kari.nordmann@nrk.no",
            "topic": "Vaksinelager",
            "question": "Hvor mange doser ligger på lager?",
            "stamp": new_form_stamp(),
        },
        anonymous=True,
    ),
    Target(
        "privacy_request",
        "POST",
        "/privacy/request/",
        (RightsLinkForm,),
        baseline=lambda world: {"purpose": "access", "email": "ola.nordmann@vg.no"},
        anonymous=True,
    ),
    Target("privacy_confirm", "POST", "/privacy/confirm/{purpose}/{token}/", anonymous=True),
]

# Patterns with nothing to drive: no parameters, and no form.
NOT_DRIVEN = {
    "press_page": "a page without parameters",
    "privacy": "a page without parameters",
    "healthz": "no parameters; tests/views/test_healthz.py",
    "desk:log_out_everywhere": "no parameters, and it ends the session; tests/accounts",
    "desk:mail_retry": "ids in the path and one checkbox; tests/views/test_desk_outgoing_mail.py",
    "desk:enquiry_accept_form_details": "a bare POST; tests/views/test_public_known_journalist.py",
    "desk:routing_release": "a bare POST; tests/views/test_public_foi_flood.py",
    "security_txt": "a page without parameters; tests/views/test_public_edges.py",
    "favicon": "a redirect without parameters; tests/views/test_public_edges.py",
    "desk:inbox": "a page without parameters; tests/views/test_desk_inbox.py",
    "desk:inbox_attach": "an id and a reference; tests/views/test_desk_inbox.py",
    "desk:inbox_enquiry": "a bare POST; tests/views/test_desk_inbox.py",
    "desk:inbox_discard": "a bare POST; tests/views/test_desk_inbox.py",
    "desk:attachment": "an id in the path; tests/views/test_desk_inbox.py",
}


def _patterns(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.app_name in (None, "enquiries", "desk"):
                names += _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names


def test_every_url_is_driven_or_says_why():
    ours = [
        name
        for name in _patterns(get_resolver())
        if name.startswith("desk:") or name in NOT_DRIVEN or name in _public_names()
    ]
    driven = {target.name for target in TARGETS}
    assert sorted(set(ours) - driven - set(NOT_DRIVEN)) == []


def _public_names() -> set[str]:
    from enquiries import urls

    return {entry.name for entry in urls.urlpatterns if isinstance(entry, URLPattern)}


# --- Driving them ------------------------------------------------------------------------


def _path_values(world: World) -> st.SearchStrategy[dict[str, str]]:
    def ids(real: str) -> st.SearchStrategy[str]:
        return st.sampled_from([real, real, *IDS])

    words = st.one_of(
        st.sampled_from(["json", "csv", "access", "erasure", "opt_out", "x" * 5_000, "%00"]),
        st.text(max_size=10).map(lambda text: quote(text.encode(), safe="")),
        st.binary(max_size=10).map(lambda raw: quote_from_bytes(raw, safe="")),
    )
    return st.fixed_dictionaries(
        {
            "enquiry": ids(world.enquiry),
            "foi": ids(world.foi),
            "journalist": ids(world.journalist),
            "request": ids(world.request),
            "fmt": words,
            "purpose": words,
            "token": words,
        }
    )


def _encode(data: dict[str, bytes]) -> str:
    return "&".join(f"{quote(name)}={quote_from_bytes(raw)}" for name, raw in data.items())


@pytest.fixture
def world(officer) -> World:
    journalist = makers.make_journalist(outlet=makers.make_outlet())
    other = makers.make_journalist(first_name="Ole", email="ole.nordmann@vg.no", mobile="")
    return World(
        enquiry=str(makers.make_enquiry(journalist=journalist).pk),
        foi=str(makers.make_enquiry(kind="foi", topic="Innsynskrav").pk),
        journalist=str(journalist.pk),
        other_journalist=str(other.pk),
        request=str(open_rights_request(by=None, kind="access", channel="letter").pk),
    )


@pytest.fixture
def officer_and_anonymous(officer, settings) -> dict[bool, Client]:  # type: ignore[no-untyped-def]
    # The public form's fill-time check and rate limit would turn most examples away before
    # their fields are read (each has its own test in test_public_form.py).
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 10**9
    settings.PRESSDESK_FORM_RATE_PER_DAY = 10**9
    desk = Client()
    desk.force_login(officer)
    return {False: desk, True: Client()}


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: f"{target.method} {target.name}")
def test_no_boundary_value_makes_a_5xx(target: Target, world: World, officer_and_anonymous):
    # The fixtures are made once for all examples: each example is rolled back to a
    # savepoint, so they are the same for every one of them (hence the health check).
    @settings(
        derandomize=True,
        max_examples=10,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        path=_path_values(world),
        values=st.fixed_dictionaries(
            {name: _field_values(form_field) for name, form_field in target.fields.items()}
        ),
    )
    def drive(path: dict[str, str], values: dict[str, bytes | None]) -> None:
        url = target.path.format(**path)
        data = {name: raw.encode() for name, raw in target.baseline(world).items()}
        data.update({name: raw for name, raw in values.items() if raw is not None})
        client = officer_and_anonymous[target.anonymous]
        with transaction.atomic():
            if target.method == "GET":
                response = client.get(f"{url}?{_encode(data)}")
            else:
                response = client.generic(
                    "POST", url, _encode(data), content_type="application/x-www-form-urlencoded"
                )
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{target.method} {url} {data!r:.300}"

    # First the sweep (explicit examples, always run), against the real rows; then Hypothesis.
    real = _real_path(world)
    for row in target.sweep(world):
        drive = example(path=real, values=row)(drive)
    drive()


def _real_path(world: World) -> dict[str, str]:
    return {
        "enquiry": world.enquiry,
        "foi": world.foi,
        "journalist": world.journalist,
        "request": world.request,
        "fmt": "json",
        "purpose": "access",
        "token": "x",
    }
