"""The text of a mail part, whatever its charset, and HTML made into readable text.

HTML is never shown on the desk: it is sanitised with nh3 (an allowlist of structural tags,
no script, style, handlers or images) and turned into text with inscriptis (tables and lists
kept readable). Quoted history is kept, and folded away on the page (`split_quoted`).
"""

import re
from email.message import EmailMessage, Message

import nh3
from inscriptis import get_text

# Structure only: nothing active, no images (tracking pixels), no styles.
_TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
# ISO-8859-1 and ASCII labels are read as Windows-1252, as browsers do: senders mislabel it.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252"}  # fmt: skip


def html_to_text(html: str) -> str:
    clean = nh3.clean(html, tags=_TAGS, attributes={}, link_rel=None)
    return str(get_text(clean)).strip()


def decoded(part: Message | EmailMessage) -> str:
    """The part's text: its declared charset, else UTF-8, else Windows-1252; never raises."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    declared = (part.get_content_charset() or "").strip().lower()
    for charset in (_CHARSET_ALIASES.get(declared, declared), "utf-8", "cp1252"):
        if not charset:
            continue
        try:
            return payload.decode(charset)
        except (LookupError, ValueError):  # unknown, undecodable, or a name with a NUL in it
            continue
    return payload.decode("utf-8", errors="replace")


def part_text(part: Message | EmailMessage) -> str:
    text = decoded(part)
    return html_to_text(text) if part.get_content_type() == "text/html" else text


# Where quoted history starts: "On … wrote:", "Den … skrev …:", Outlook's header block or
# "Original Message" line, or the first line quoted with ">".
_QUOTE_START = re.compile(
    r"^(?:>|-{2,}\s*(?:original message|opprinnelig melding|videresendt melding|forwarded "
    r"message)|(?:on|den|på|am|le)\s.{0,200}(?:wrote|skrev|schrieb|a écrit)\b.{0,200}:\s*$|"
    r"(?:from|fra|von|de)\s*:\s.+$)",
    re.IGNORECASE,
)


def split_quoted(body: str) -> tuple[str, str]:
    """(what the sender wrote, the quoted history below it); the second may be empty."""
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if index and _QUOTE_START.match(line.strip()):
            return "\n".join(lines[:index]).rstrip(), "\n".join(lines[index:])
    return body, ""
