"""The public forms on a phone (issue #16, item 6): an error summary linking to every field,
messages that say what to do, the attributes that bring up the right keyboard and autofill,
"(valgfritt)" and no stars, counts instead of silent cuts, tap-to-call, refusals that are no
dead end. The browser side (focus, live count, axe) is in tests/browser/test_accessibility.py."""

import html
import re
from html.parser import HTMLParser

import pytest
import time_machine

from enquiries.forms.public import new_form_stamp
from enquiries.models import Enquiry
from tests.clients import FormClient

pytestmark = pytest.mark.django_db

FIELDS = ["first_name", "last_name", "outlet", "email", "phone", "mobile", "topic", "question",
          "deadline"]  # fmt: skip


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each element with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _tags(page: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


def _by_id(page: str, element_id: str) -> dict[str, str]:
    [attrs] = [attrs for _tag, attrs in _tags(page) if attrs.get("id") == element_id]
    return attrs


@pytest.fixture(autouse=True)
def _no_fill_time_or_rate_limit_unless_asked(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000


def _client(language: str) -> FormClient:
    return FormClient(HTTP_ACCEPT_LANGUAGE=language)


def _form(**changes: str) -> dict[str, str]:
    return {
        "first_name": "Kari", "last_name": "Holm", "outlet": "Aftenposten",
        "email": "kari.holm@aftenposten.no", "phone": "", "mobile": "400 12 345",
        "topic": "Ventetider", "question": "Har ventetidene gått ned?", "stamp": new_form_stamp(),
        "website": "", **changes,
    }  # fmt: skip


def _summary(page: str) -> list[tuple[str, str]]:
    block = re.search(r'<div class="alert alert-danger pd-error-summary".*?</div>', page, re.S)
    assert block, "no error summary"
    return [
        (target, html.unescape(text))
        for target, text in re.findall(r'<a href="#([^"]+)"[^>]*>(.*?)</a>', block.group(0))
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", [
            ("id_first_name", "Skriv inn fornavnet ditt"),
            ("id_last_name", "Skriv inn etternavnet ditt"),
            ("id_outlet", "Skriv inn mediet du skriver for, eller «frilans»"),
            ("id_email", "Skriv inn e-postadressen din"),
            ("id_topic", "Skriv med noen få ord hva henvendelsen gjelder"),
            ("id_question", "Skriv spørsmålet ditt"),
        ]),
        ("en", [
            ("id_first_name", "Enter your first name"),
            ("id_last_name", "Enter your last name"),
            ("id_outlet", "Enter the outlet you write for, or “freelance”"),
            ("id_email", "Enter your e-mail address"),
            ("id_topic", "Enter what your enquiry is about, in a few words"),
            ("id_question", "Enter your question"),
        ]),
    ],
)  # fmt: skip
def test_an_empty_form_lists_every_error_as_a_link_to_its_field(language, expected):
    response = _client(language).post("/enquiry/", {"stamp": new_form_stamp()})
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary(page) == expected
    summary = re.search(r'<div class="alert alert-danger pd-error-summary"[^>]*>', page).group(0)
    assert 'tabindex="-1"' in summary  # focusable, and public.js focuses it
    assert "autofocus" in summary  # the browser does even without the script
    assert page.index("pd-error-summary") < page.index("<h1")
    # The same words under each field, tied to it for screen readers.
    for target, message in expected:
        field = _by_id(page, target)
        assert field["aria-invalid"] == "true"
        assert f"{target}_error" in field["aria-describedby"].split()
        assert re.search(
            rf'id="{target}_error"[^>]*>.*?{re.escape(html.escape(message, quote=False))}',
            page,
            re.S,
        )


@pytest.mark.parametrize(
    ("changes", "target", "message"),
    [
        ({"email": "kari.holm"}, "id_email",
         "Skriv inn en e-postadresse på riktig form, som kari.nordmann@nrk.no"),
        ({"mobile": "12"}, "id_mobile",
         "Skriv inn et telefonnummer, som 22 33 44 55 eller +47 400 12 345"),
        ({"deadline": "neste fredag"}, "id_deadline",
         "Skriv inn fristen som dato og klokkeslett, for eksempel 24.12.2026 14:00"),
        ({"stamp": "tampered"}, "pd-submit", "Skjemaet er utløpt. Send det på nytt."),
    ],
)  # fmt: skip
def test_a_wrong_value_gets_a_message_that_shows_the_right_form(changes, target, message):
    page = _client("nb").post("/enquiry/", _form(**changes)).content.decode()
    assert _summary(page) == [(target, message)]
    assert 'id="pd-submit"' in page  # a hidden field's error leads to the send button


def test_every_field_brings_up_the_right_keyboard_and_autofill():
    page = _client("nb").get("/enquiry/").content.decode()
    fields = {attrs["name"]: (tag, attrs) for tag, attrs in _tags(page) if "name" in attrs}
    expected = {
        "first_name": ("text", "given-name", "text"),
        "last_name": ("text", "family-name", "text"),
        "outlet": ("text", "organization", "text"),
        "email": ("email", "email", "email"),
        "phone": ("tel", "work tel", "tel"),
        "mobile": ("tel", "mobile tel", "tel"),
        "topic": ("text", "on", "text"),
        "deadline": ("datetime-local", "on", "numeric"),
    }
    for name, (kind, autocomplete, inputmode) in expected.items():
        _tag, attrs = fields[name]
        assert (attrs["type"], attrs["autocomplete"], attrs["inputmode"]) == (
            kind, autocomplete, inputmode,
        ), name  # fmt: skip
    tag, question = fields["question"]
    assert (tag, question["autocomplete"], question["inputmode"]) == ("textarea", "on", "text")
    for name in ("is_foi", "opt_out"):
        assert fields[name][1]["type"] == "checkbox"
        assert fields[name][1]["autocomplete"] == "on"


def test_optional_fields_say_so_and_nothing_is_starred():
    page = _client("nb").get("/enquiry/").content.decode()
    for name in ("phone", "mobile", "deadline"):
        label = re.search(rf'<label for="id_{name}"[^>]*>(.*?)</label>', page, re.S).group(1)
        assert "(valgfritt)" in label, name
    for name in ("first_name", "last_name", "outlet", "email", "topic", "question"):
        label = re.search(rf'<label for="id_{name}"[^>]*>(.*?)</label>', page, re.S).group(1)
        assert "valgfritt" not in label, name
    assert "*" not in re.sub(r"<script.*?</script>", "", page, flags=re.S).split("<main")[1]
    assert "asteriskField" not in page


def test_a_long_question_is_counted_not_cut_and_comes_back_whole():
    page = _client("nb").get("/enquiry/").content.decode()
    for name, limit in (("topic", "200"), ("question", "5000")):
        field = _by_id(page, f"id_{name}")
        assert "maxlength" not in field, name  # the browser would cut a paste silently
        assert field["data-pd-count"] == limit
        assert f"id_{name}_count" in field["aria-describedby"].split()
    assert "Du kan skrive opptil 5\xa0000 tegn." in page

    question = "Hvorfor? " * 667  # 6,003 characters, pasted
    response = _client("nb").post("/enquiry/", _form(question=question))
    page = response.content.decode()
    assert _summary(page) == [
        (
            "id_question",
            "Spørsmålet kan ha høyst 5000 tegn; det har 6002. Gjør det kortere, eller send "
            "resten på e-post.",
        )
    ]
    assert html.escape(question.strip(), quote=False) in page  # nothing lost
    assert not Enquiry.objects.exists()


def test_phone_numbers_are_tap_to_call(settings):
    from enquiries.core.desk_settings import desk_settings

    number = desk_settings().press_phone  # "+47 21 00 00 00" from the migration
    href = "tel:" + number.replace(" ", "")
    for url in ("/", "/enquiry/", "/privacy/"):
        page = _client("nb").get(url).content.decode()
        assert f'<a href="{href}" class="pd-tel">{number}</a>' in page, url


@time_machine.travel("2026-11-23 10:00:05 +01:00", tick=False)
def test_the_rate_limit_page_gives_the_phone_and_the_form_as_it_was(settings):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1
    client = _client("nb")
    assert client.post("/enquiry/", _form()).status_code == 302
    response = client.post("/enquiry/", _form(topic="Legemiddelmangel", question="Hvor mange?"))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Henvendelsen din ble ikke sendt" in page
    assert 'href="tel:+4721000000"' in page
    assert 'href="#pd-again"' in page
    assert _by_id(page, "id_topic")["value"] == "Legemiddelmangel"
    assert ">\nHvor mange?</textarea>" in page
    assert _by_id(page, "id_email")["value"] == "kari.holm@aftenposten.no"
    stamp = re.search(r'name="stamp" value="([^"]+)"', page).group(1)
    assert stamp != _form()["stamp"]  # a fresh one-time key: sending again works later
    assert Enquiry.objects.count() == 1


def test_a_refused_bot_speed_submission_can_be_sent_again_from_the_refusal(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 2
    client = _client("en")
    data = _form()
    response = client.post("/enquiry/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your enquiry was not sent" in page
    assert 'href="tel:+4721000000"' in page
    assert _by_id(page, "id_first_name")["value"] == "Kari"
    assert not Enquiry.objects.exists()


def test_the_rights_form_has_a_summary_a_legend_and_specific_messages():
    response = _client("nb").post("/privacy/request/", {"email": "ikke-en-adresse"})
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary(page) == [
        ("id_purpose_0", "Velg hva du vil at vi skal gjøre"),
        ("id_email", "Skriv inn en e-postadresse på riktig form, som kari.nordmann@nrk.no"),
    ]
    assert re.search(r"<fieldset[^>]*><legend[^>]*>Hva ønsker du\?</legend>", page)
    email = _by_id(page, "id_email")
    assert (email["type"], email["autocomplete"], email["inputmode"]) == (
        "email", "email", "email",
    )  # fmt: skip
    assert "asteriskField" not in page


@time_machine.travel("2026-11-23 10:00:05 +01:00", tick=False)
def test_a_refused_rights_request_keeps_the_address_and_gives_the_phone(settings):
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 0
    response = _client("nb").post(
        "/privacy/request/", {"purpose": "access", "email": "kari.holm@aftenposten.no"}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "Forespørselen din ble ikke sendt" in page
    assert 'href="tel:+4721000000"' in page
    assert _by_id(page, "id_email")["value"] == "kari.holm@aftenposten.no"
    assert "checked" in _by_id(page, "id_purpose_1")
