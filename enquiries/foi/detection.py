"""Does this text look like a request for access to documents (innsynskrav)?

Only a suggestion: an officer confirms. Bokmål, Nynorsk and English phrasings, compounds
("innsynskravet") and common misspellings ("insynskrav", "innsynskarv", "offentlighetslova").
"""

import re
import unicodedata

# Words that on their own mark an FOI request (and their inflections and compounds).
_STEMS = (
    "innsyn",
    "innsynskrav",
    "innsynsbegjæring",
    "innsynsbegjering",
    "offentleglova",
    "offentlegloven",
    "offentlighetsloven",
    "offentlighetslova",
    "offentlighetslov",
    "offentleglov",
    "foia",
)
# Phrases that mark one in English (matched on the normalised text).
_PHRASES = (
    "foi request",
    "freedom of information",
    "request for access",
    "access to documents",
    "access to the documents",
    "access to public documents",
    "access to records",
)
_WORD = re.compile(r"[a-zæøåäöü]+")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (typos incl. swapped letters), stopping past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _matches_stem(word: str) -> str | None:
    for stem in _STEMS:
        if word.startswith(stem):
            return stem
        if len(stem) < 6:
            continue  # short stems ("foia") only match exactly: too many near neighbours
        limit = 1 if len(stem) <= 8 else 2
        # Compare the word's own beginning too, so a misspelt compound still matches.
        for candidate in {word, word[: len(stem)], word[: len(stem) + 1]}:
            if _distance(candidate, stem, limit) <= limit:
                return stem
    return None


def foi_signal(text: str) -> str | None:
    """The word or phrase that makes the text look like an FOI request, or None."""
    normalised = _normalise(text)
    for phrase in _PHRASES:
        if phrase in " ".join(normalised.split()):
            return phrase
    for word in _WORD.findall(normalised):
        if len(word) >= 4 and (stem := _matches_stem(word)):
            return stem
    return None


def looks_like_foi(text: str) -> bool:
    return foi_signal(text) is not None
