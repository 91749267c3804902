"""The journalist directory: everyone by name, a page at a time, or those matching a search.

Pages are keyset pages on (last_name, first_name, id) off journalist_name_idx, so the last
page costs what the first does however many journalists there are. The cursor is the id of
the last row shown (never a name: it travels in a URL). A search takes the contacts that
match part of a name, an e-mail address, a phone number or an outlet (the trigram-indexed
queue.searching.contact_matches, at most its 500), pages through them the same way.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from enquiries.models import Enquiry, Journalist, RightsRequest
from enquiries.queue.searching import contact_matches

DIRECTORY_PAGE_SIZE = 50


# contact_matches gives at most this many journalists: more means "narrow the search".
DIRECTORY_MATCH_CAP = 500


@dataclass
class DirectoryPage:
    rows: list[Journalist]
    next_after: int | None  # the id to pass as `after` for the next page
    capped: bool = False  # the search matched more contacts than are listed


def _after(queryset: QuerySet[Journalist], after: int) -> QuerySet[Journalist]:
    anchor = Journalist.objects.filter(pk=after).values_list("last_name", "first_name").first()
    if anchor is None:  # merged or erased since the page was shown: start again
        return queryset
    last, first = anchor
    return queryset.filter(last_name__gte=last).filter(
        Q(last_name__gt=last) | Q(first_name__gt=first) | Q(first_name=first, pk__gt=after)
    )


def directory_page(
    *, text: str = "", after: int | None = None, page_size: int = DIRECTORY_PAGE_SIZE
) -> DirectoryPage:
    queryset = Journalist.objects.select_related("outlet").only(
        "first_name", "last_name", "email", "phone", "mobile", "outlet__name"
    )
    capped = False
    if text.strip():
        journalist_ids, outlet_ids = contact_matches(text)
        capped = len(journalist_ids) >= DIRECTORY_MATCH_CAP
        queryset = queryset.filter(Q(pk__in=journalist_ids) | Q(outlet_id__in=outlet_ids))
    if after is not None:
        queryset = _after(queryset, after)
    rows = list(queryset.order_by("last_name", "first_name", "id")[: page_size + 1])
    if len(rows) <= page_size:
        return DirectoryPage(rows=rows, next_after=None, capped=capped)
    rows = rows[:page_size]
    return DirectoryPage(rows=rows, next_after=rows[-1].pk, capped=capped)


# The card lists this many of the journalist's rights requests, newest first.
CARD_RIGHTS_SHOWN = 20


def journalist_rights_requests(
    *, journalist_id: int, limit: int = CARD_RIGHTS_SHOWN
) -> list[RightsRequest]:
    """Their rights requests, newest first, off rights_journalist_idx."""
    return list(
        RightsRequest.objects.filter(journalist_id=journalist_id)
        .select_related("created_by")
        .order_by("-received_at", "-id")[:limit]
    )


def merge_counts(*, keep_id: int, duplicate_id: int) -> dict[str, dict[str, int]]:
    """What each of two cards holds, for the merge page: enquiries and rights requests."""
    counts: dict[str, dict[str, int]] = {}
    for key, pk in (("keep", keep_id), ("duplicate", duplicate_id)):
        counts[key] = {
            "enquiries": Enquiry.objects.filter(journalist_id=pk).count(),
            "rights_requests": RightsRequest.objects.filter(journalist_id=pk).count(),
        }
    return counts
