"""Every string that only the desk uses has its Bokmål translation in the catalogue."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "enquiries/locale/nb/LC_MESSAGES/django.po"
DESK_FILES = re.compile(
    r"^(desk_forms\.py|desk_urls\.py|views/desk\.py|views/_access\.py|services/desk\.py"
    r"|templatetags/desk\.py|templates/enquiries/desk/\S+)$"
)


def _quoted(text: str) -> str:
    return "".join(re.findall(r'"(.*)"', text))


def _entries() -> list[tuple[list[str], str, list[str]]]:
    """(locations, msgid, translations) of every catalogue entry with a location."""
    found = []
    for block in CATALOGUE.read_text().split("\n\n"):
        places = [
            place
            for line in block.splitlines()
            if line.startswith("#:")
            for place in line[2:].split()
        ]
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        translations = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if places and msgid:
            found.append((places, _quoted(msgid.group(1)), [_quoted(t) for t in translations]))
    return found


def test_every_desk_only_string_is_translated():
    desk_only = [
        (msgid, texts)
        for places, msgid, texts in _entries()
        if all(DESK_FILES.match(place) for place in places)
    ]
    assert len(desk_only) > 50
    missing = [msgid for msgid, texts in desk_only if not all(texts)]
    assert missing == []
