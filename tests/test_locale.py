"""The Bokmål catalogue is complete and compiled: a new untranslated string fails here."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO = Path("enquiries/locale/nb/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")


def test_every_string_in_the_code_has_a_bokmal_translation(tmp_path):
    copy = tmp_path / "src"
    for name in ["enquiries", "pressdesk"]:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "DEBUG": "true", "PRESSDESK_VAR_DIR": str(tmp_path / "var")}
    args = ["makemessages", "-l", "nb", "--no-obsolete", "--add-location", "file"]
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=copy, env=env, check=True, capture_output=True
    )
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(copy / PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats, f"run `make messages` and translate: {stats}"
    assert "fuzzy" not in stats, f"review the fuzzy entries: {stats}"


def test_the_compiled_catalogue_matches_the_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(ROOT / PO)], check=True)

    def entries(mo: Path) -> str:  # gettext's own decompiler: every entry, sorted
        return subprocess.run(
            ["msgunfmt", "--sort-output", str(mo)], capture_output=True, text=True, check=True
        ).stdout

    assert entries(compiled) == entries(ROOT / MO)


@pytest.mark.django_db
def test_bokmal_is_the_default_and_english_is_a_choice():
    client = Client()
    assert "Journalister når pressevakten" in client.get("/").content.decode()
    english = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert "Journalists can reach the press-duty officer" in english
    with translation.override("nb"):
        assert translation.gettext("Press office") == "Pressevakt"


@pytest.mark.django_db
def test_the_language_switch_sets_english():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Journalists can reach" in client.get("/").content.decode()
