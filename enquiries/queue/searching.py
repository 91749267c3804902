"""Search: PostgreSQL full text and trigrams, or a plain fallback on SQLite."""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from enquiries.core.normalise import phone_digits
from enquiries.models import (
    Enquiry,
    Journalist,
    Message,
    Outlet,
)
from enquiries.queue import compounds
from enquiries.queue.listing import EPOCH, QueueFilters, filtered, queue_columns

logger = logging.getLogger(__name__)


SEARCH_LIMIT = 50


# Ranking reads every candidate's vector: rank the newest matches, not a million of them.
SEARCH_CANDIDATES = 500


# A common word's newest matches are looked for among this many newest enquiries first.
RECENT_WINDOW = 20_000


ZERO = timedelta(0)


# ts_headline wraps each match in these; they cannot occur in stored text (control
# characters are refused on input), so the template can escape everything else safely.
MARK_START = "\x02"


MARK_STOP = "\x03"


@dataclass
class SearchHit:
    """Texts carry MARK_START/MARK_STOP around each match: escape them, then mark up."""

    enquiry: Enquiry
    headline: str
    journalist_name: str = ""
    outlet_name: str = ""


def _mark(text: str, fragment: str) -> str:
    """`text` with the first case-insensitive occurrence of `fragment` marked."""
    index = text.lower().find(fragment.lower()) if fragment else -1
    if index < 0:
        return text
    end = index + len(fragment)
    return text[:index] + MARK_START + text[index:end] + MARK_STOP + text[end:]


def _hit(enquiry: Enquiry, headline: str, text: str) -> SearchHit:
    fragment = " ".join(text.split())
    name = enquiry.journalist.full_name if enquiry.journalist else ""
    marked = _mark(name, fragment)
    if marked == name and " " in fragment:
        first, _space, last = fragment.partition(" ")
        marked = _mark(_mark(name, first), last)
    return SearchHit(
        enquiry=enquiry,
        headline=headline,
        journalist_name=marked,
        outlet_name=_mark(enquiry.outlet.name if enquiry.outlet else "", fragment),
    )


def contact_matches(text: str) -> tuple[list[int], list[int]]:
    """Ids of journalists and outlets matching part of a name, e-mail or phone (trigram GIN)."""
    journalists, outlets, _none = _contacts_and(text, also=None, also_limit=0)
    return journalists, outlets


def _contacts_and(
    text: str, *, also: QuerySet[Enquiry] | None, also_limit: int
) -> tuple[list[int], list[int], list[int]]:
    """(journalist ids, outlet ids, the newest `also_limit` ids of `also`) in one round trip
    on PostgreSQL."""
    fragment = " ".join(text.split())
    journalists = Q(first_name__icontains=fragment) | Q(last_name__icontains=fragment)
    journalists |= Q(email__icontains=fragment)
    first, _space, last = fragment.partition(" ")
    if last:
        journalists |= Q(first_name__icontains=first, last_name__icontains=last)
    digits = phone_digits(fragment)
    if len(digits) >= 4 and len(digits) * 2 >= len(fragment.replace(" ", "")):
        journalists |= Q(phone__contains=digits) | Q(mobile__contains=digits)
    found_journalists = (
        Journalist.objects.filter(journalists)
        .order_by()
        .annotate(source=Value(0))
        .values_list("source", "id")
    )[:500]
    found_outlets = (
        Outlet.objects.filter(name__icontains=fragment)
        .order_by()
        .annotate(source=Value(1))
        .values_list("source", "id")
    )[:50]
    more = (
        [
            also.order_by("-received_at", "-id")
            .annotate(source=Value(2))
            .values_list("source", "id")[:also_limit]
        ]
        if also is not None
        else []
    )
    if connection.features.supports_slicing_ordering_in_compound:
        # One round trip for all (PostgreSQL); SQLite cannot LIMIT inside a UNION.
        rows = list(found_journalists.union(found_outlets, *more, all=True).order_by())
    else:
        rows = [*found_journalists, *found_outlets, *(row for query in more for row in query)]
    return (
        [pk for source, pk in rows if source == 0],
        [pk for source, pk in rows if source == 1],
        [pk for source, pk in rows if source == 2],
    )


def _highlight_plain(text: str, words: list[str]) -> str:
    lowered = text.lower()
    for word in words:
        index = lowered.find(word.lower())
        if index >= 0:
            start = max(0, index - 60)
            snippet = text[start : index + len(word) + 100]
            offset = index - start
            return (
                ("…" if start else "")
                + snippet[:offset]
                + MARK_START
                + snippet[offset : offset + len(word)]
                + MARK_STOP
                + snippet[offset + len(word) :]
            )
    return text[:160]


@dataclass
class SearchResults:
    """Every match ranked (ids, cheap to audit or page), and one page of them as hits.

    `total` is exact unless `capped`: each way of matching brings at most SEARCH_CANDIDATES
    of its newest matches, so beyond that the count is a lower bound."""

    ranked_ids: list[int]
    hits: list[SearchHit]
    page: int
    per_page: int
    capped: bool
    # When the words as typed found nothing: the two parts of the compound searched instead.
    read_as: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.ranked_ids)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def page_ids(self) -> list[int]:
        return [hit.enquiry.pk for hit in self.hits]


def _page_of(ranked_ids: list[int], page: int, per_page: int) -> tuple[int, list[int]]:
    """The page number clamped to what exists, and its ids."""
    last = max(1, -(-len(ranked_ids) // per_page))
    page = min(max(page, 1), last)
    return page, ranked_ids[(page - 1) * per_page : page * per_page]


# A fragment shorter than this matches too much to look for inside words (and a trigram
# index cannot help with it): it is matched as a whole word only.
MIN_FRAGMENT = 3


def _fragments(text: str) -> list[str]:
    return [word for word in text.split() if len(word) >= MIN_FRAGMENT]


def _whole_word(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def _plain_rank(
    enquiry: Enquiry, words: list[str], journalists: set[int], outlets: set[int]
) -> tuple[float, float, int]:
    """Whole words in the topic, then in the details, before parts of words; a journalist's
    or outlet's own enquiries beside the whole words (the SQLite stand-in for ts_rank)."""
    score = 0.0
    if any(_whole_word(word, enquiry.topic) for word in words):
        score += 1.6
    elif any(_whole_word(word, enquiry.details) for word in words):
        score += 1.2
    if enquiry.journalist_id in journalists:
        score += 1.0
    elif enquiry.outlet_id in outlets:
        score += 0.5
    return (-score, -enquiry.received_at.timestamp(), -enquiry.pk)


def search_plain(
    *,
    text: str,
    filters: QueueFilters,
    page: int = 1,
    per_page: int = SEARCH_LIMIT,
    candidates: int = SEARCH_CANDIDATES,
) -> SearchResults:
    """The SQLite fallback (and any database): substring matching (so parts of compounds
    match too) over the newest `candidates` matches, whole words ranked first."""
    words = text.split()
    if not words:
        return SearchResults(ranked_ids=[], hits=[], page=1, per_page=per_page, capped=False)
    journalist_ids, outlet_ids = contact_matches(text)
    matches = Q(journalist_id__in=journalist_ids) | Q(outlet_id__in=outlet_ids)
    matches |= Q(reference=text.strip().upper())
    # Every word somewhere in the text or the thread, as on PostgreSQL.
    every_word = Q()
    for word in words:
        every_word &= (
            Q(topic__icontains=word)
            | Q(details__icontains=word)
            | Exists(Message.objects.filter(enquiry_id=OuterRef("pk"), body__icontains=word))
            | Exists(Message.objects.filter(enquiry_id=OuterRef("pk"), subject__icontains=word))
        )
    matches |= every_word
    queryset = filtered(filters, now=timezone.now(), searching=True).filter(matches)
    found = list(
        queryset.only("topic", "details", "received_at", "journalist", "outlet").order_by(
            "-received_at", "-id"
        )[:candidates]
    )
    contacts = set(journalist_ids), set(outlet_ids)
    found.sort(key=lambda row: _plain_rank(row, words, *contacts))
    ranked = [row.pk for row in found]
    page, shown = _page_of(ranked, page, per_page)
    rows = {row.pk: row for row in queue_columns(Enquiry.objects.filter(pk__in=shown))}
    hits = [_hit(rows[pk], _highlight_plain(rows[pk].topic, words), text) for pk in shown]
    return SearchResults(
        ranked_ids=ranked,
        hits=hits,
        page=page,
        per_page=per_page,
        capped=len(found) >= candidates,
    )


def _newest(queryset: QuerySet[Enquiry], limit: int) -> "QuerySet[Enquiry, Any]":
    return queryset.order_by("-received_at", "-id").values("id")[:limit]


def _prefix_query(text: str) -> SearchQuery | None:
    """Each word as a prefix ("korona" finds "koronaviruset" wherever the vector has it,
    the thread included); only letters and digits reach the tsquery syntax."""
    words = [word for word in re.findall(r"\w+", text) if len(word) >= MIN_FRAGMENT]
    if not words:
        return None
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )


def _is_contact(text: str) -> bool:
    """An e-mail address or a phone number: found through the contacts (and as a whole
    word in the text), never as parts of words, which would only cost time."""
    compact = "".join(text.split())
    digits = phone_digits(compact)
    return "@" in compact or (len(digits) >= 4 and len(digits) * 2 >= len(compact))


def _text_matches(text: str) -> tuple[SearchQuery, Q]:
    """The whole-word query (Norwegian stems, and the simple configuration for names and
    codes), and everything that matches: whole words, prefixes, or parts of words in the
    topic or details (each word somewhere, off the trigram indexes)."""
    exact = SearchQuery(text, config="norwegian", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    if _is_contact(text):
        return exact, Q(search_vector=exact)
    prefix = _prefix_query(text)
    matches = Q(search_vector=exact | prefix if prefix is not None else exact)
    fragments = _fragments(text)
    if fragments:
        inside = Q()
        for fragment in fragments:
            inside &= Q(topic__icontains=fragment) | Q(details__icontains=fragment)
        matches |= inside
    return exact, matches


def search_postgres(
    *,
    text: str,
    filters: QueueFilters,
    page: int = 1,
    per_page: int = SEARCH_LIMIT,
    candidates: int = SEARCH_CANDIDATES,
    recent_window: int = RECENT_WINDOW,
) -> SearchResults:
    """Whole words, prefixes and parts of compounds over the text, or contacts found by
    trigram index, or the exact reference; the newest `candidates` matches of each kind
    ranked: whole words first (by ts_rank), a contact's own enquiries beside them, then
    parts of words, the newest first among equals."""
    if not text.split():
        return SearchResults(ranked_ids=[], hits=[], page=1, per_page=per_page, capped=False)
    exact, matches = _text_matches(text)
    # One index-friendly branch per way of matching, each the newest `candidates` of its own
    # (the words off the queue index or the GIN indexes, the contacts off
    # enquiry_journalist_idx / the outlet index, the reference off its unique index). ORing
    # them in one WHERE under ORDER BY received_at LIMIT made PostgreSQL walk the whole queue
    # index looking for a journalist's few enquiries (0.5 s at 1M).
    # The words: a common one off the queue index within the newest RECENT_WINDOW enquiries
    # (a bounded walk, in the contacts' round trip); only when those hold fewer than
    # `candidates` matches, the older ones through the GIN indexes (ordered by an
    # expression, so PostgreSQL cannot choose to walk the queue index for a rare word: it
    # estimates every unknown word at 0.5 %). Walking once and deciding here costs half of
    # what a gate inside the query did, which walked the window a second time.
    base = filtered(filters, now=timezone.now(), searching=True)
    recent = Coalesce(
        Subquery(
            Enquiry.objects.order_by("-received_at", "-id").values("received_at")[
                recent_window - 1 : recent_window
            ]
        ),
        Value(EPOCH),
    )
    unindexed = ExpressionWrapper(F("received_at") + ZERO, DateTimeField())
    journalist_ids, outlet_ids, recent_ids = _contacts_and(
        text, also=base.filter(matches, received_at__gte=recent), also_limit=candidates
    )
    branches: list[QuerySet[Enquiry, Any]] = [
        _newest(base.filter(reference=text.strip().upper()), 1),
        Enquiry.objects.filter(id__in=recent_ids).order_by().values("id"),
    ]
    if len(recent_ids) < candidates:
        # With the column PostgreSQL ANDed the matches' bitmap with most of the queue index.
        branches.append(
            base.annotate(unindexed=unindexed)
            .filter(matches, unindexed__lt=recent)
            .order_by("-unindexed", "-id")
            .values("id")[:candidates]
        )
    if journalist_ids:
        branches.append(_newest(base.filter(journalist_id__in=journalist_ids), candidates))
    if outlet_ids:
        branches.append(_newest(base.filter(outlet_id__in=outlet_ids), candidates))
    newest = branches[0].union(*branches[1:])
    contact_bonus = Case(
        When(Q(journalist_id__in=journalist_ids or [0]), then=Value(1.0)),
        When(Q(outlet_id__in=outlet_ids or [0]), then=Value(0.5)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    whole_word = Case(
        When(Q(search_vector=exact), then=Value(1.0)), default=Value(0.0), output_field=FloatField()
    )
    ranked = list(
        Enquiry.objects.filter(id__in=newest)
        .annotate(rank=SearchRank(F("search_vector"), exact) + whole_word + contact_bonus)
        .order_by("-rank", "-received_at", "-id")
        .values_list("id", flat=True)
    )
    page, shown = _page_of(ranked, page, per_page)
    prefix = None if _is_contact(text) else _prefix_query(text)
    marked = exact | prefix if prefix is not None else exact
    rows = {
        row.pk: row
        for row in queue_columns(Enquiry.objects.filter(id__in=shown))
        .annotate(details_text=F("details"))
        .annotate(
            headline=SearchHeadline(
                Concat("topic", Value(" — "), "details", output_field=TextField()),
                marked,
                config="norwegian",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=30,
                min_words=12,
                highlight_all=False,
            )
        )
    }
    words = _fragments(text) or text.split()
    hits = [_hit(rows[pk], _headline(rows[pk], words), text) for pk in shown if pk in rows]
    return SearchResults(
        ranked_ids=ranked,
        hits=hits,
        page=page,
        per_page=per_page,
        capped=len(ranked) >= candidates,
    )


def _headline(row: Enquiry, words: list[str]) -> str:
    """ts_headline marks whole words and prefixes; a part of a compound is marked here."""
    headline: str = getattr(row, "headline", "")
    if MARK_START in headline:
        return headline
    details: str = getattr(row, "details_text", "")
    return _highlight_plain(f"{row.topic} — {details}" if details else row.topic, words)


def search_enquiries(
    *, text: str, filters: QueueFilters, page: int = 1, per_page: int = SEARCH_LIMIT
) -> SearchResults:
    """The matches for `text`; if there are none and it is one long word, the matches for
    the first reading of it as a compound that has any ("antibiotikamangel" finds "Mangel
    på antibiotika"), marked with the reading so the page can say so."""
    engine = search_postgres if connection.vendor == "postgresql" else search_plain
    results = engine(text=text, filters=filters, page=page, per_page=per_page)
    if results.total:
        return results
    for reading in compounds.readings(text):
        split = engine(text=" ".join(reading), filters=filters, page=page, per_page=per_page)
        if split.total:
            split.read_as = reading
            return split
    return results
