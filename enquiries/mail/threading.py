"""The headers that keep our mail in one thread, in the journalist's mail program and in ours.

- The reference in the subject, in brackets (`[P-2026-00042]`), once: an answer keeps it, so
  the inbound side can place a mail from the enquiry's journalist by it.
- In-Reply-To and References when a mail answers one of the thread (RFC 5322 3.6.4). We do not
  keep an inbound mail's own References, so ours list the thread's Message-IDs up to the one
  answered (the first and the newest, as RFC 5322 allows when the list grows long).
- Outlook's Thread-Index (MS-OXOMSG 2.2.1.3, PidTagConversationIndex): a 22-byte header block
  (the top six bytes of a FILETIME and a GUID) and a 5-byte child block per answer. Every mail
  of one enquiry shares the header block, built from the enquiry's reference and the time it
  was received, so Outlook groups them as one conversation.
"""

import base64
import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime

# FILETIME counts 100-nanosecond steps from 1601-01-01 UTC.
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_REPLY_PREFIX = re.compile(r"^\s*((re|sv|aw|vs)\s*:\s*)+", re.IGNORECASE)
SUBJECT_MAX = 300  # OutboundEmail.subject
# The newest Message-IDs kept in References besides the first (RFC 5322 allows trimming).
REFERENCES_KEPT = 10


def with_reference(subject: str, reference: str) -> str:
    """The subject with `[reference]` at its end, unless it already carries it."""
    tag = f"[{reference}]"
    if tag in subject:
        return subject
    return f"{subject[: SUBJECT_MAX - len(tag) - 1]} {tag}".strip()


def reply_subject(subject: str) -> str:
    """ "Re: " before a subject, once (whatever prefixes the journalist's program used)."""
    return f"Re: {_REPLY_PREFIX.sub('', subject).strip()}"


# A Message-ID as it may go into a header: <…> of printable ASCII, no space, no brackets
# inside. Anything else an inbound mail carried (folded, 8-bit, junk) is left out.
_MESSAGE_ID = re.compile(r"<[!-;=?-~]{1,250}>")


def references(thread_ids: Sequence[str]) -> list[str]:
    """References for an answer to the last of `thread_ids` (the thread's Message-IDs in
    order, up to and including the mail answered): the first and the newest ones."""
    ids = [m.strip() for m in thread_ids if _MESSAGE_ID.fullmatch(m.strip())]
    if len(ids) <= REFERENCES_KEPT + 1:
        return ids
    return [ids[0], *ids[-REFERENCES_KEPT:]]


def _filetime(moment: datetime) -> int:
    delta = moment - _FILETIME_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def thread_index(*, conversation: str, started_at: datetime, now: datetime) -> str:
    """Outlook's Thread-Index for a mail sent `now` in the conversation named `conversation`
    (e.g. the enquiry's reference) that started at `started_at`: the shared header block and
    one child block with the time since."""
    start = _filetime(started_at) >> 16 << 16  # the header block keeps the top six bytes
    guid = hashlib.md5(conversation.encode(), usedforsecurity=False).digest()
    header = start.to_bytes(8, "big")[:6] + guid
    delta = max(_filetime(now) - start, 0)
    # Under about 1.78 years the delta's bits 18-48 are kept; beyond, a flag and bits 23-53.
    near = delta >> 49 == 0
    block = (delta >> 18) & 0x7FFF_FFFF if near else (1 << 31) | ((delta >> 23) & 0x7FFF_FFFF)
    # The last byte: four random bits and a sequence count; a fixed value is allowed.
    child = block.to_bytes(4, "big") + bytes([0])
    return base64.b64encode(header + child).decode("ascii")


def thread_headers(
    *,
    reference: str,
    started_at: datetime,
    now: datetime,
    answers: Sequence[str] = (),
) -> dict[str, str]:
    """The threading headers for a mail in an enquiry's thread; `answered`: the thread's
    Message-IDs up to the mail this one answers (`answers`; empty for a mail that answers none).
    Thread-Topic is the reference alone: mail to an unconfirmed address carries nothing a
    visitor typed (DESIGN rule 9)."""
    headers = {
        "Thread-Index": thread_index(conversation=reference, started_at=started_at, now=now),
        "Thread-Topic": reference,
    }
    chain = references(answers)
    if chain:
        headers["In-Reply-To"] = chain[-1]
        headers["References"] = " ".join(chain)
    return headers
