"""Every mail to the public is in Bokmål with English below (issue #16, item 6): the receipt,
the FOI acknowledgement, the rights link and the erasure confirmation, whatever language the
visitor's browser asked for, since the mailbox may be read by someone else's."""

import pytest

from enquiries.forms.public import new_form_stamp
from enquiries.models import Enquiry, OutboundEmail
from tests import makers
from tests.clients import FormClient

pytestmark = pytest.mark.django_db

RULE = "-" * 60 + "\nEnglish\n"

# (kind, a Bokmål line, the same line in English)
EXPECTED = {
    "enquiry_receipt": (
        "Takk. Pressevakten har mottatt henvendelsen din",
        "Thank you. The press office has received your enquiry",
    ),
    "foi_acknowledgement": ("er videresendt til postmottaket", "has been forwarded to our post"),
    "rights_link": (
        "Åpne denne lenken innen 24 timer for å bekrefte",
        "To confirm it, open this link within 24 hours",
    ),
    "erasure_done": (
        "slettet pressevakten opplysningene om deg",
        "the press office erased the information",
    ),
}


@pytest.fixture(autouse=True)
def _no_fill_time_or_rate_limit(settings):
    settings.PRESSDESK_FORM_MIN_SECONDS = 0
    settings.PRESSDESK_FORM_RATE_PER_MINUTE = 1000


def _send(client: FormClient, **changes: str) -> None:
    data = {
        "first_name": "Kari", "last_name": "Holm", "outlet": "NRK",
        "email": "kari.holm@nrk.no", "topic": "Ventetider", "question": "Hvor lenge?",
        "stamp": new_form_stamp(), "website": "", **changes,
    }  # fmt: skip
    assert client.post("/enquiry/", data).status_code == 302


def _erase_by_link(client: FormClient) -> tuple[str, str]:
    """The rights link's subject and body (the erasure then takes the queued row with it)."""
    makers.make_enquiry(journalist=makers.make_journalist())
    client.post("/privacy/request/", {"purpose": "erasure", "email": "ola.nordmann@vg.no"})
    link = OutboundEmail.objects.get(kind="rights_link")
    url = next(word for word in link.body.split() if "/privacy/confirm/" in word)
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path, {"email": "ola.nordmann@vg.no"}).status_code == 200
    return link.subject, link.body


def _foi_acknowledgement() -> tuple[str, str]:
    """Sent by the routing task once the registry has the request: rendered as it does."""
    from django.template.loader import render_to_string

    from enquiries.core.desk_settings import desk_settings

    context = {"enquiry": Enquiry.objects.get(kind="foi"), "desk": desk_settings()}
    return (
        render_to_string("enquiries/emails/foi_acknowledgement_subject.txt", context).strip(),
        render_to_string("enquiries/emails/foi_acknowledgement_body.txt", context),
    )


@pytest.mark.parametrize("browser_language", ["nb", "en"])
def test_mails_to_the_public_are_in_bokmal_with_english_below(browser_language):
    client = FormClient(HTTP_ACCEPT_LANGUAGE=browser_language)
    _send(client)
    _send(client, is_foi="on", topic="Innsyn i avtalen")
    mails = {mail.kind: (mail.subject, mail.body) for mail in OutboundEmail.objects.all()}
    mails["rights_link"] = _erase_by_link(client)
    mails["erasure_done"] = OutboundEmail.objects.values_list("subject", "body").get(
        kind="erasure_done"
    )
    mails["foi_acknowledgement"] = _foi_acknowledgement()
    for kind, (bokmal, english) in EXPECTED.items():
        subject, body = mails[kind]
        assert body.count(RULE) == 1, kind
        norwegian_part, english_part = body.split(RULE)
        assert bokmal in norwegian_part, kind
        assert english in english_part, kind
        assert english not in norwegian_part, kind
        assert "\n-- \n" not in body, kind  # a signature marker: mail programs hide what follows
        bokmal_subject, english_subject = subject.split(" / ")
        assert bokmal_subject != english_subject, kind
