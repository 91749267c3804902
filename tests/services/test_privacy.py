"""Opt-out, standing opt-out, erasure and access (DESIGN.md rules 3, 4 and 8)."""

import hashlib
import hmac
from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from enquiries.core.errors import ExtensionTooLong, NothingToMatch
from enquiries.handling import enquiries as handling
from enquiries.handling import replies
from enquiries.mail import outbox
from enquiries.models import (
    AuditEvent,
    Enquiry,
    ErasureReceipt,
    Journalist,
    Message,
    OutboundEmail,
    RightsRequest,
    Suppression,
    TopicCategory,
)
from enquiries.privacy import self_service as self_service_requests
from enquiries.privacy.erasure import erase_contact
from enquiries.privacy.export import export_contact
from enquiries.privacy.opt_out import (
    is_suppressed,
    register_standing_opt_out,
    withdraw_standing_opt_out,
)
from enquiries.privacy.rights import extend_rights_request, open_rights_request
from tests import makers

pytestmark = pytest.mark.django_db

OSLO = timezone.get_current_timezone()


def _thread(enquiry: Enquiry, *, body: str = "Hei, her er svaret.") -> Message:
    return handling.add_message(
        enquiry_id=enquiry.pk,
        by=None,
        direction="out",
        from_address="presse@helseetaten.example",
        to_address="ola.nordmann@vg.no",
        subject="Sv: veilederen",
        body=body,
    )


# --- Standing opt-out ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "registered",
    [" Ola.Nordmann@VG.NO ", "ola.nordmann@vg.no", "\uff2f\uff4c\uff41.nordmann@vg.no"],
)
def test_a_standing_opt_out_matches_any_case_whitespace_or_unicode_form(registered):
    register_standing_opt_out(by=None, email=registered)
    journalist = makers.make_journalist(email="OLA.nordmann@vg.no")
    assert makers.make_enquiry(journalist=journalist).opted_out


def test_a_standing_opt_out_by_phone_matches_the_mobile_in_another_form():
    register_standing_opt_out(by=None, phone="40033431")
    journalist = makers.make_journalist(email=None, mobile="+47 400 33 431")
    assert makers.make_enquiry(journalist=journalist).opted_out


def test_a_plus_address_is_another_person():
    register_standing_opt_out(by=None, email="ola.nordmann+x@vg.no")
    assert not makers.make_enquiry(journalist=makers.make_journalist()).opted_out


def test_the_opt_out_store_holds_only_a_keyed_hash():
    register_standing_opt_out(by=None, email="ola.nordmann@vg.no", phone="40033431")
    rows = list(Suppression.objects.values_list("kind", "key_hash"))
    assert sorted(kind for kind, _ in rows) == ["email", "phone"]
    for _, key in rows:
        assert len(key) == 64
        assert "ola" not in key
        assert "40033431" not in key


def test_the_opt_out_hash_is_keyed_with_the_hash_key_not_a_plain_digest(settings):
    settings.PRESSDESK_HASH_KEY = "first-key"
    register_standing_opt_out(by=None, email=" Ola.Nordmann@VG.NO ")
    first = Suppression.objects.get().key_hash
    expected = hmac.new(b"first-key", b"email:ola.nordmann@vg.no", hashlib.sha256).hexdigest()
    assert first == expected
    for plain in ("ola.nordmann@vg.no", "email:ola.nordmann@vg.no"):
        assert first != hashlib.sha256(plain.encode()).hexdigest()

    settings.PRESSDESK_HASH_KEY = "second-key"
    assert not is_suppressed(email="ola.nordmann@vg.no")  # another key: no match
    register_standing_opt_out(by=None, email="ola.nordmann@vg.no")
    second = Suppression.objects.exclude(key_hash=first).get().key_hash
    assert second == hmac.new(b"second-key", b"email:ola.nordmann@vg.no", "sha256").hexdigest()


def test_withdrawal_ends_the_standing_opt_out():
    register_standing_opt_out(by=None, email="ola.nordmann@vg.no")
    assert withdraw_standing_opt_out(by=None, email="Ola.Nordmann@vg.no") == 1
    assert not makers.make_enquiry(journalist=makers.make_journalist()).opted_out


def test_registering_twice_stores_one_key():
    assert register_standing_opt_out(by=None, email="ola.nordmann@vg.no") == 1
    assert register_standing_opt_out(by=None, email="OLA.NORDMANN@VG.NO") == 0
    assert Suppression.objects.count() == 1


def test_nothing_to_match_is_a_clear_error():
    with pytest.raises(NothingToMatch):
        register_standing_opt_out(by=None, email="  ")


# --- Opt-out for one enquiry -----------------------------------------------------------------


def test_an_opted_out_enquiry_is_held_while_open():
    enquiry = makers.make_enquiry(journalist=makers.make_journalist(), opted_out=True)
    _thread(enquiry)
    enquiry.refresh_from_db()
    assert enquiry.topic
    assert enquiry.journalist_id
    assert enquiry.messages.count() == 1


@pytest.mark.parametrize("status", ["answered", "closed"])
def test_answering_or_closing_an_opted_out_enquiry_leaves_only_the_tally(status):
    category = TopicCategory.objects.create(name="Covid-19")
    journalist = makers.make_journalist(outlet=makers.make_outlet())
    enquiry = makers.make_enquiry(journalist=journalist, opted_out=True, topic_category=category)
    _thread(enquiry)
    handling.change_status(enquiry_id=enquiry.pk, status=status, by=None)
    enquiry.refresh_from_db()
    assert (enquiry.topic, enquiry.details, enquiry.journalist, enquiry.outlet) == (
        "",
        "",
        None,
        None,
    )
    assert enquiry.search_vector is None
    assert not Message.objects.exists()
    assert not Journalist.objects.exists()  # the contact existed only for this enquiry
    # The anonymous tally stays: date, channel, kind, topic category.
    assert (enquiry.channel, enquiry.kind, enquiry.topic_category) == ("phone", "press", category)
    assert enquiry.received_at is not None


def test_a_known_contact_with_other_enquiries_stays_when_one_opted_out_enquiry_closes():
    journalist = makers.make_journalist()
    makers.make_enquiry(journalist=journalist)
    opted = makers.make_enquiry(journalist=journalist, opted_out=True)
    handling.change_status(enquiry_id=opted.pk, status="closed", by=None)
    assert Journalist.objects.filter(pk=journalist.pk).exists()


# --- Erasure ---------------------------------------------------------------------------------

MARKERS = ["Zyxwa", "Qwertyson", "zyxwa.qwertyson@vg.no", "+4741122334", "41122334"]


def _text_columns() -> list[tuple[str, str]]:
    """Every text, JSON and tsvector column of every table: found, not remembered."""
    if connection.vendor != "postgresql":  # the laptop default: SQLite keeps types as written
        with connection.cursor() as cursor:
            return [
                (table, column.name)
                for table in connection.introspection.table_names(cursor)
                for column in connection.introspection.get_table_description(cursor, table)
                if any(
                    word in str(column.type_code).lower()
                    for word in ("char", "text", "json", "blob")
                )
            ]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_name = c.table_name AND t.table_schema = c.table_schema
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
              AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'character',
                                   'bytea')
                   OR c.udt_name = 'tsvector')
            """
        )
        return cursor.fetchall()


def _as_text(column: str) -> str:
    """A column as text; bytes (attachments) with their ASCII kept as it is."""
    if connection.vendor == "postgresql":
        return f"""CASE WHEN pg_typeof("{column}") = 'bytea'::regtype
            THEN encode(CAST(CAST("{column}" AS TEXT) AS BYTEA), 'escape')
            ELSE CAST("{column}" AS TEXT) END"""
    return f'CAST("{column}" AS TEXT)'


def _traces(markers: list[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            for marker in markers:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" '  # noqa: S608 (names from the catalogue)
                    f"WHERE UPPER({_as_text(column)}) LIKE UPPER(%s)",
                    [f"%{marker}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column} holds {marker}")
    return found


def _redis_traces(markers: list[str]) -> list[str]:
    from django.conf import settings
    from redis import Redis

    client = Redis.from_url(settings.REDIS_URL)
    found = []
    for key in client.scan_iter(count=1000):
        blobs = [key]
        if client.type(key) == b"string":
            blobs.append(client.get(key) or b"")
        elif client.type(key) == b"list":
            blobs.extend(client.lrange(key, 0, -1))
        for blob in blobs:
            for marker in markers:
                if marker.lower().encode() in blob.lower():
                    found.append(f"redis {key!r} holds {marker}")
    return found


@pytest.mark.postgres
def test_after_erasure_no_trace_remains_in_any_column_or_redis(officer):
    journalist = makers.make_journalist(
        first_name="Zyxwa",
        last_name="Qwertyson",
        email="zyxwa.qwertyson@vg.no",
        mobile="+47 411 22 334",
        outlet=makers.make_outlet(),
    )
    for number in range(3):
        enquiry = makers.make_enquiry(
            journalist=journalist,
            topic=f"Spørsmål {number} fra Zyxwa Qwertyson",
            details="Ring meg på 411 22 334 eller zyxwa.qwertyson@vg.no",
            by=officer,
        )
        _thread(enquiry, body="Hilsen Zyxwa Qwertyson, mobil 41122334")
    # A reply from the desk, filled from a canned reply with their name (issue #18).
    replies.send_reply(
        enquiry_id=enquiry.pk, by=officer, key="0b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11",
        subject="Re: Spørsmål 2", body="Hei Zyxwa Qwertyson, svaret kommer.",
    )  # fmt: skip
    # Someone else's e-mail that was copied to the erased address.
    other = makers.make_enquiry(
        journalist=makers.make_journalist(first_name="Kari", email="kari@nrk.no", mobile="")
    )
    handling.add_message(
        enquiry_id=other.pk, by=None, direction="in", from_address="kari@nrk.no",
        to_address="presse@helseetaten.example, ZYXWA.QWERTYSON@vg.no",
        subject="Felles spørsmål", body="Kopi til zyxwa.qwertyson@vg.no",
    )  # fmt: skip
    # And the desk's reply to it, copied to them too.
    replies.send_reply(
        enquiry_id=other.pk, by=officer, key="1b6b1c9e-7f5e-4d0c-9a57-3d1f6f0c2a11",
        subject="Re: Felles spørsmål", body="Svar til dere begge.",
        cc=["zyxwa.qwertyson@vg.no"],
    )  # fmt: skip
    assert _traces(MARKERS)  # the scan finds what is there
    # Mail of theirs with an attachment, in the thread and in the holding pen.
    from enquiries.intake import inbound_mail

    for number, subject in ((1, f"Sv: {enquiry.reference}"), (2, "Re: P-2026-99999")):
        inbound_mail.ingest(
            (
                "From: Zyxwa Qwertyson <zyxwa.qwertyson@vg.no>\r\nSubject: "
                f"{subject}\r\nMessage-ID: <z{number}@vg.no>\r\nMIME-Version: 1.0\r\n"
                'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
                "Content-Type: text/plain\r\n\r\nVedlagt.\r\n--b\r\n"
                "Content-Type: text/plain\r\nContent-Disposition: attachment; "
                'filename="cv.txt"\r\n\r\nQwertyson CV, mobil 41122334\r\n--b--\r\n'
            ).encode()
        )
    from enquiries.models import Attachment

    assert Attachment.objects.count() == 2
    assert "enquiries_attachment.content holds Qwertyson" in _traces(MARKERS)

    receipt = erase_contact(
        by=officer, via=ErasureReceipt.Via.DESK, email=" Zyxwa.Qwertyson@VG.NO "
    )

    assert _traces(MARKERS) == []
    assert _redis_traces(MARKERS) == []
    assert (receipt.journalists, receipt.enquiries, receipt.messages, receipt.mentions) == (
        1,
        3,
        5,  # the three pasted in, the reply, and their mail that joined the thread
        2,  # Kari's mail and the reply copied to them
    )
    assert Enquiry.objects.filter(topic="").count() == 3  # the tallies stay
    assert Journalist.objects.filter(email="kari@nrk.no").exists()  # nobody else is touched
    other_message = Message.objects.get(enquiry=other, direction="in")
    assert other_message.to_address == "presse@helseetaten.example, [erased]"


def test_erasure_removes_queued_mail_to_them_that_belongs_to_no_enquiry():
    """A self-service link and any other mail with no enquiry, addressed to the person, found
    by their number alone: no row keeps the address (nor the link waiting to be used)."""
    makers.make_enquiry(
        journalist=makers.make_journalist(
            first_name="Zyxwa", last_name="Qwertyson",
            email="zyxwa.qwertyson@vg.no", mobile="+47 411 22 334",
        )
    )  # fmt: skip
    self_service_requests.request_link(purpose="access", email="Zyxwa.Qwertyson@VG.no")
    outbox.queue_email(
        kind="notice", to="zyxwa.qwertyson@vg.no", subject="Om saken", body="Hei", key="n-1"
    )
    outbox.queue_email(kind="notice", to="kari@nrk.no", subject="Om saken", body="Hei", key="n-2")
    assert OutboundEmail.objects.filter(enquiry=None).count() == 3
    assert _traces(["zyxwa.qwertyson@vg.no"])  # the scan finds what is there

    erase_contact(by=None, via=ErasureReceipt.Via.COMMAND, phone="411 22 334")

    assert _traces(["zyxwa.qwertyson@vg.no"]) == []
    assert list(OutboundEmail.objects.values_list("to_address", flat=True)) == ["kari@nrk.no"]


def test_erasure_matches_by_phone_too():
    journalist = makers.make_journalist(email=None, mobile="+47 400 33 431")
    makers.make_enquiry(journalist=journalist)
    receipt = erase_contact(by=None, via=ErasureReceipt.Via.COMMAND, phone="400 33 431")
    assert receipt.journalists == 1
    assert not Journalist.objects.exists()


def test_erasure_of_nobody_gives_the_same_kind_of_receipt():
    receipt = erase_contact(by=None, via=ErasureReceipt.Via.SELF_SERVICE, email="nobody@vg.no")
    assert (receipt.journalists, receipt.enquiries, receipt.messages) == (0, 0, 0)
    assert ErasureReceipt.objects.count() == 1


def test_erasure_is_idempotent():
    makers.make_enquiry(journalist=makers.make_journalist())
    first = erase_contact(by=None, via="command", email="ola.nordmann@vg.no")
    second = erase_contact(by=None, via="command", email="ola.nordmann@vg.no")
    assert (first.journalists, second.journalists) == (1, 0)
    assert second.enquiries == 0


def test_erasing_an_address_leaves_its_plus_variant_alone():
    makers.make_journalist(email="ola.nordmann+x@vg.no", mobile="")
    erase_contact(by=None, via="command", email="ola.nordmann@vg.no")
    assert Journalist.objects.filter(email="ola.nordmann+x@vg.no").exists()


def test_audit_events_lose_the_erased_journalists_id():
    journalist = makers.make_journalist()
    makers.make_enquiry(journalist=journalist)
    assert AuditEvent.objects.filter(journalist_id=journalist.pk).exists()
    erase_contact(by=None, via="command", email="ola.nordmann@vg.no")
    assert not AuditEvent.objects.filter(journalist_id=journalist.pk).exists()


# --- Access ----------------------------------------------------------------------------------


def test_export_is_complete_and_holds_nobody_else():
    journalist = makers.make_journalist(outlet=makers.make_outlet())
    enquiry = makers.make_enquiry(journalist=journalist)
    _thread(enquiry, body="Svar til Ola")
    handling.add_message(enquiry_id=enquiry.pk, by=None, direction="note", body="Ringte tilbake")
    makers.make_enquiry(
        journalist=makers.make_journalist(first_name="Kari", email="kari@nrk.no", mobile=""),
        topic="Karis spørsmål",
    )
    export = export_contact(by=None, email="OLA.NORDMANN@vg.no")
    [person] = export["journalists"]
    assert person["email"] == "ola.nordmann@vg.no"
    assert person["outlet"] == "VG"
    [exported] = person["enquiries"]
    assert exported["reference"] == enquiry.reference
    assert [m["body"] for m in exported["messages"]] == ["Svar til Ola", "Ringte tilbake"]
    assert "Kari" not in str(export)
    assert AuditEvent.objects.filter(
        action="journalist.exported", journalist_id=journalist.pk
    ).exists()


# --- Rights requests on the clock ------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime(2026, 3, 10, 9, 0, tzinfo=OSLO), date(2026, 4, 10)),
        (datetime(2026, 1, 31, 9, 0, tzinfo=OSLO), date(2026, 2, 28)),
        (datetime(2028, 1, 31, 9, 0, tzinfo=OSLO), date(2028, 2, 29)),
        (datetime(2026, 12, 31, 23, 30, tzinfo=OSLO), date(2027, 1, 31)),
    ],
)
def test_a_rights_request_is_due_one_calendar_month_after_receipt(received, due):
    request = open_rights_request(by=None, kind="access", channel="letter", received_at=received)
    assert request.due_date == due


def test_an_extension_adds_at_most_two_months_and_records_why_and_when_told(officer):
    received = datetime(2026, 3, 10, 9, 0, tzinfo=OSLO)
    request = open_rights_request(by=officer, kind="erasure", channel="phone", received_at=received)
    extended = extend_rights_request(
        request_id=request.pk,
        by=officer,
        months=2,
        reason="Mange saker",
        requester_told_at=date(2026, 3, 20),
    )
    assert extended.extended_due_date == date(2026, 6, 10)
    assert extended.effective_due_date == date(2026, 6, 10)
    with pytest.raises(ExtensionTooLong):
        extend_rights_request(
            request_id=request.pk,
            by=officer,
            months=3,
            reason="x",
            requester_told_at=date(2026, 3, 20),
        )


def test_an_objection_takes_effect_at_once_as_an_opt_out(officer):
    journalist = makers.make_journalist()
    open_rights_request(by=officer, kind="objection", channel="phone", journalist=journalist)
    assert makers.make_enquiry(journalist=journalist).opted_out
    assert RightsRequest.objects.get().status == "open"
