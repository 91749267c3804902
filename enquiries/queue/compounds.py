"""One long Norwegian word read as the two words of a compound, for a search that found nothing.

"antibiotikamangel" is not in "Mangel på antibiotika", but "antibiotika" and "mangel" both
are. A compound's parts meet at a syllable boundary, so the candidates are the Bokmål
hyphenation points (pyphen's patterns from the spell-norwegian project), not every letter.
"""

import functools

import pyphen

# Shorter parts ("gel", "ut") match inside too many unrelated words to mean anything.
MIN_PART = 4

MIN_WORD = 2 * MIN_PART

# Each reading costs one more search, and only a search that found nothing tries them.
MAX_READINGS = 3


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nb_NO")


def readings(text: str) -> list[tuple[str, str]]:
    """The ways to read `text`, if it is one long word, as a compound of two parts: the
    likeliest first. A compound's last part is its head, usually a short everyday noun
    ("mangel", "utstyr", "rapport"), so the shortest last part is tried first. A binding
    "s" ("beredskaps|rapport") is left off the first part, which then still matches
    "beredskap" and "beredskapsplan"."""
    words = text.split()
    if len(words) != 1 or len(words[0]) < MIN_WORD or not words[0].isalpha():
        return []
    word = words[0].lower()
    found: list[tuple[str, str]] = []
    for position in sorted(_hyphenator().positions(word), reverse=True):
        first, last = word[:position], word[position:]
        if len(first) < MIN_PART or len(last) < MIN_PART:
            continue
        if first.endswith("s") and len(first) > MIN_PART:
            first = first[:-1]
        found.append((first, last))
    return found[:MAX_READINGS]
