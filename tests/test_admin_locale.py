"""Admin is Bokmål throughout: what Django's own nb catalogue lacks is in ours
(enquiries/locale_django), and a Django upgrade that adds strings fails here."""

import json
import re
import subprocess
from pathlib import Path

import django
import pytest

DJANGO = Path(django.__file__).parent
OURS = Path(__file__).resolve().parents[1] / "enquiries" / "locale_django" / "nb" / "LC_MESSAGES"
# The catalogues admin pages draw on: admin (and its JavaScript), users, forms and fields.
CATALOGUES = [
    ("contrib/admin", "django"),
    ("contrib/admin", "djangojs"),
    ("contrib/auth", "django"),
    ("contrib/contenttypes", "django"),
    ("conf", "django"),
]
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _strings(block: str, key: str) -> list[str]:
    """The texts of `msgid`, `msgctxt`, or `msgstr` (and `msgstr[n]`) in one .po entry."""
    found = re.findall(rf"^{key}(?:\[\d\])? ((?:\".*\"\n?)+)", block, re.MULTILINE)
    return ["".join(json.loads(part) for part in _QUOTED.findall(text)) for text in found]


def _entries(path: Path, *, translated_only: bool) -> set[tuple[str | None, str]]:
    """(context, msgid) of a .po file's entries; with translated_only, those with every msgstr
    filled in and not fuzzy."""
    if not path.exists():
        return set()
    found = set()
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = _strings(block, "msgid")
        if not msgid or not msgid[0]:
            continue
        done = all(_strings(block, "msgstr")) and "fuzzy" not in block
        if done or not translated_only:
            context = _strings(block, "msgctxt")
            found.add((context[0] if context else None, msgid[0]))
    return found


@pytest.mark.parametrize(("app", "domain"), CATALOGUES)
def test_every_admin_string_has_a_bokmal_translation(app, domain):
    name = Path("LC_MESSAGES") / f"{domain}.po"
    english = _entries(DJANGO / app / "locale" / "en" / name, translated_only=False)
    bokmal = _entries(DJANGO / app / "locale" / "nb" / name, translated_only=True)
    ours = _entries(OURS / f"{domain}.po", translated_only=True)
    assert english, "the English source catalogue was read"
    untranslated = sorted(english - bokmal - ours, key=str)
    assert untranslated == [], "translate these in enquiries/locale_django/nb/LC_MESSAGES"


@pytest.mark.django_db
def test_the_strings_the_issue_found_are_in_bokmal_on_the_admin_pages(admin_client):
    page = admin_client.get(
        "/admin/enquiries/enquiry/", {"_facets": "True"}, headers={"accept-language": "nb"}
    ).content.decode()
    assert "Skriv for å filtrere" in page
    assert "Skjul antall" in page
    for english in ["Start typing to filter", "Show counts", "Hide counts", "Search vector"]:
        assert english not in page
    shift_form = admin_client.get(
        "/admin/enquiries/dutyshift/add/", headers={"accept-language": "nb"}
    ).content.decode()
    assert "Select an option" not in shift_form
    catalog = admin_client.get("/admin/jsi18n/", headers={"accept-language": "nb"})
    assert "I dag (%(date)s)" in catalog.content.decode()


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogues_match_their_sources(tmp_path, domain):
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(OURS / f"{domain}.po")], check=True)

    def entries(mo: Path) -> str:  # gettext's own decompiler: every entry, sorted
        return subprocess.run(
            ["msgunfmt", "--sort-output", str(mo)], capture_output=True, text=True, check=True
        ).stdout

    assert entries(compiled) == entries(OURS / f"{domain}.mo")
