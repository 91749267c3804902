"""The monthly summary: last month's figures to the addresses administrators set, once per
address and month, with nothing personal in it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from enquiries.core.desk_settings import update_desk_settings
from enquiries.models import OutboundEmail
from enquiries.reports import summary
from enquiries.reports.periods import Period
from tests import makers

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
NOVEMBER = Period(date(2026, 11, 1), date(2026, 12, 1))


@pytest.fixture
def november() -> None:
    kari = makers.make_journalist(
        first_name="Kari", last_name="Hansen", email="kari.hansen@nrk.no", mobile="+4741000001"
    )
    vg = makers.make_outlet(name="VG")
    for day in (3, 4, 17):
        makers.make_enquiry(received_at=datetime(2026, 11, day, 10, tzinfo=OSLO), outlet=vg)
    makers.make_enquiry(received_at=datetime(2026, 11, 20, 9, tzinfo=OSLO), journalist=kari)
    makers.make_enquiry(received_at=datetime(2026, 10, 30, 9, tzinfo=OSLO))  # the month before
    makers.make_enquiry(received_at=datetime(2026, 12, 1, 9, tzinfo=OSLO))  # after


def _set_recipients(text: str, commits) -> None:  # type: ignore[no-untyped-def]
    with commits(execute=True):  # the cached settings are dropped when the change commits
        update_desk_settings(by=None, report_recipients=text)


def test_the_summary_goes_to_each_address_once_with_figures_only(  # type: ignore[no-untyped-def]
    november: None, django_capture_on_commit_callbacks
) -> None:
    _set_recipients(
        "leder@helse.no\n\n  kommunikasjon@helse.no \n", django_capture_on_commit_callbacks
    )
    with time_machine.travel(datetime(2026, 12, 1, 7, tzinfo=OSLO), tick=False):
        assert summary.queue_monthly_summary(month=summary.month_before(date(2026, 12, 1))) == 2
        assert summary.queue_monthly_summary(month=NOVEMBER) == 0  # a second run: nothing new
    mails = OutboundEmail.objects.order_by("to_address")
    assert [m.to_address for m in mails] == ["kommunikasjon@helse.no", "leder@helse.no"]
    mail = mails[0]
    assert (mail.kind, mail.status, mail.enquiry) == ("monthly_summary", "queued", None)
    assert "november 2026" in mail.subject.lower()
    assert "4 henvendelser" in mail.body  # the four of November, in the desk's language
    assert "1 henvendelse" not in mail.body.split("\n")[1]
    assert "VG | " in mail.body  # organisations are figures
    for personal in ("Kari", "Hansen", "kari.hansen", "41000001", "Ola", "Nordmann"):
        assert personal not in mail.body
    assert "leder@helse.no" not in mail.idempotency_key


def test_no_addresses_no_mail(november: None) -> None:
    assert summary.queue_monthly_summary(month=NOVEMBER) == 0
    assert not OutboundEmail.objects.exists()


def test_an_address_that_is_not_one_is_refused_with_its_line() -> None:
    with pytest.raises(ValidationError) as refused:
        update_desk_settings(by=None, report_recipients="leder@helse.no\nikke en adresse")
    assert "ikke en adresse" in str(refused.value.message_dict["report_recipients"])


def test_the_command_takes_a_month_and_says_what_it_did(  # type: ignore[no-untyped-def]
    november: None, capsys, django_capture_on_commit_callbacks
) -> None:
    _set_recipients("leder@helse.no", django_capture_on_commit_callbacks)
    call_command("mail_monthly_summary", "--month", "2026-11")
    assert "2026-11 to 1 address" in capsys.readouterr().out
    assert "4 henvendelser" in OutboundEmail.objects.get().body
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("mail_monthly_summary", "--month", "november")
