"""Our threading headers, as pure functions: the reference in the subject, "Re:", References
and Outlook's Thread-Index (MS-OXOMSG 2.2.1.3)."""

import base64
from datetime import UTC, datetime, timedelta

import pytest

from enquiries.mail import threading

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Veilederen", "Veilederen [P-2026-00042]"),
        ("Re: Veilederen [P-2026-00042]", "Re: Veilederen [P-2026-00042]"),
        ("", "[P-2026-00042]"),
        ("x" * 400, "x" * 285 + " [P-2026-00042]"),  # 300 in all
    ],
)
def test_the_reference_is_in_the_subject_once(subject: str, expected: str):
    assert threading.with_reference(subject, "P-2026-00042") == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Veilederen", "Re: Veilederen"),
        ("SV: Re: sv:Veilederen", "Re: Veilederen"),
        ("AW: Vs: Veilederen", "Re: Veilederen"),
        ("Reise til Bergen", "Re: Reise til Bergen"),
    ],
)
def test_re_goes_before_a_subject_once(subject: str, expected: str):
    assert threading.reply_subject(subject) == expected


def test_references_keep_the_first_and_the_newest_and_drop_what_cannot_be_a_header():
    ids = [f"<{n}@vg.no>" for n in range(20)]
    assert threading.references(ids) == ["<0@vg.no>", *ids[-10:]]
    assert threading.references(["<a@b>", "", "<c@d>\r\nBcc: x@evil.example", "<æ@ø>", "x@y"]) == [
        "<a@b>"
    ]


def _decode(index: str) -> tuple[bytes, int, int]:
    raw = base64.b64decode(index)
    assert len(raw) == 27  # the 22-byte header block and one 5-byte child block
    block = int.from_bytes(raw[22:26], "big")
    return raw[:22], block >> 31, block & 0x7FFF_FFFF


def test_thread_index_shares_the_conversation_and_counts_the_time_since_it_began():
    soon = threading.thread_index(
        conversation="P-2026-00042", started_at=START, now=START + timedelta(hours=2)
    )
    later = threading.thread_index(
        conversation="P-2026-00042", started_at=START, now=START + timedelta(days=900)
    )
    other = threading.thread_index(
        conversation="P-2026-00043", started_at=START, now=START + timedelta(hours=2)
    )
    header, flag, delta = _decode(soon)
    assert _decode(later)[0] == header  # one conversation for Outlook
    assert _decode(other)[0][6:] != header[6:]  # another enquiry: another GUID
    # The header block's time is the conversation's start, to FILETIME's top six bytes.
    filetime = int.from_bytes(header[:6] + b"\0\0", "big")
    epoch = datetime(1601, 1, 1, tzinfo=UTC)
    assert abs(epoch + timedelta(microseconds=filetime / 10) - START) < timedelta(seconds=1)
    # Two hours in 2^18 steps of 100 ns (flag 0); 900 days, past 2^49, in 2^23 steps (flag 1).
    assert flag == 0
    assert abs(delta * 2**18 / 10**7 - 7200) < 1
    later_flag, later_delta = _decode(later)[1:]
    assert later_flag == 1
    assert abs(later_delta * 2**23 / 10**7 / 86400 - 900) < 0.01


def test_thread_headers_name_the_mail_answered_only_when_there_is_one():
    plain = threading.thread_headers(reference="P-2026-00042", started_at=START, now=START)
    assert set(plain) == {"Thread-Index", "Thread-Topic"}
    assert plain["Thread-Topic"] == "P-2026-00042"
    answer = threading.thread_headers(
        reference="P-2026-00042", started_at=START, now=START, answers=["<a@vg.no>", "<b@vg.no>"]
    )
    assert (answer["In-Reply-To"], answer["References"]) == ("<b@vg.no>", "<a@vg.no> <b@vg.no>")
