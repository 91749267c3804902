"""Polling the press inbox over IMAP (issue #18): every minute from beat, or `poll_inbox`.

Each mail in the folder is fetched without marking it read and ingested (one transaction
each); after every CHUNK mails one synchronous commit makes them durable (PostgreSQL flushes
the log in order, so it covers the earlier asynchronous commits), and only then are they
moved to PRESSDESK_INBOX_DONE_FOLDER. A poll killed at any point loses and doubles nothing:
before the commit the mail is still in the inbox and is taken by the next poll; after it,
the next poll finds the mail's receipt (inbound_mail: never twice) and only moves it. One poll
at a time across workers and machines (core.locks). A mail over the size limit is not
fetched whole: its headers are, and it waits in the holding pen.

IDLE is not used: beat's minute is the desk's promise, and a connection held open per worker
would tie up a process for little gain.
"""

import contextlib
import imaplib
import logging
import re
import ssl
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from enquiries.core import heartbeat, oauth
from enquiries.core.locks import only_one
from enquiries.intake import inbound_mail as inbound

logger = logging.getLogger(__name__)

_LOCK_KEY = 0x7072_6573_696E  # "presin": the poll's advisory lock, the same in every process
# Mails ingested (each in its own transaction, committed without waiting for the disk) before
# one synchronous commit makes them durable and they are moved out of the inbox.
CHUNK = 50


class InboxUnavailable(Exception):
    """The inbox could not be reached, or refused us; the next poll tries again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InboxNotConfigured(Exception):
    pass


@dataclass
class PollResult:
    skipped: bool = False  # another poll was running: this one did nothing
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def poll() -> PollResult:
    """One poll now. Raises InboxNotConfigured, or InboxUnavailable (nothing lost)."""
    config = settings.PRESSDESK_INBOX
    if not config:
        raise InboxNotConfigured
    started = time.monotonic()
    with only_one(
        key=_LOCK_KEY, name="poll-inbox", timeout=settings.CELERY_TASK_TIME_LIMIT
    ) as held:
        if not held:
            return PollResult(skipped=True)
        result = PollResult()
        _poll(config, result)
    result.seconds = time.monotonic() - started
    if result.counts:
        logger.info("inbox: %s in %.2f s", dict(result.counts), result.seconds)
    return result


def _token_source() -> oauth.ClientCredentials | None:
    if not settings.PRESSDESK_INBOX_OAUTH_CLIENT_ID:
        return None
    return oauth.provider(
        token_url=settings.PRESSDESK_INBOX_OAUTH_TOKEN_URL,
        client_id=settings.PRESSDESK_INBOX_OAUTH_CLIENT_ID,
        client_secret=settings.PRESSDESK_INBOX_OAUTH_CLIENT_SECRET,
        scope=settings.PRESSDESK_INBOX_OAUTH_SCOPE,
    )


def _open(config: dict[str, Any]) -> imaplib.IMAP4:
    timeout = settings.PRESSDESK_INBOX_TIMEOUT
    try:
        if config["ssl"]:
            context = ssl.create_default_context()
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                config["host"], config["port"], ssl_context=context, timeout=timeout
            )
        else:
            conn = imaplib.IMAP4(config["host"], config["port"], timeout=timeout)
    except (OSError, imaplib.IMAP4.error) as exc:
        msg = f"cannot connect ({type(exc).__name__})"
        raise InboxUnavailable(msg) from exc
    try:
        _log_in(conn, config)
        status, _ = conn.select(_quoted(config["folder"]))
        if status != "OK":
            msg = "the inbox folder cannot be opened"
            raise InboxUnavailable(msg)
    except BaseException:
        _close(conn)
        raise
    return conn


def _log_in(conn: imaplib.IMAP4, config: dict[str, Any]) -> None:
    source = _token_source()
    try:
        if source is None:
            conn.login(config["username"], config["password"])
            return
        initial = oauth.xoauth2(config["username"], source.token()).encode()
        # On a refused token the server sends a JSON challenge: answer it empty to end.
        conn.authenticate("XOAUTH2", lambda challenge: b"" if challenge else initial)
    except oauth.TokenUnavailable as exc:
        raise InboxUnavailable(str(exc)) from exc
    except (imaplib.IMAP4.error, OSError) as exc:
        if source is not None:
            source.forget()  # perhaps revoked: the next poll fetches a new one
        msg = "the mail server refused the login"
        raise InboxUnavailable(msg) from exc


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        conn.logout()


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ensure_folder(conn: imaplib.IMAP4, folder: str) -> None:
    status, _ = conn.create(_quoted(folder))  # "NO" when it exists: fine
    if status != "OK":
        status, listed = conn.list('""', _quoted(folder))
        if status != "OK" or not any(item for item in listed if item):
            msg = "the processed-mail folder cannot be created"
            raise InboxUnavailable(msg)


_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")


def _sizes(conn: imaplib.IMAP4, uids: list[bytes]) -> dict[bytes, int]:
    _status, data = conn.uid("FETCH", b",".join(uids).decode(), "(RFC822.SIZE)")
    sizes: dict[bytes, int] = {}
    for item in data:
        line = item[0] if isinstance(item, tuple) else item
        if not isinstance(line, bytes):
            continue
        found = _SIZE.search(line)
        if found:
            uid, size = (found.group(1), found.group(2)) if found.group(1) else found.group(4, 3)
            sizes[uid] = int(size)
    return sizes


def _fetch(conn: imaplib.IMAP4, uid: bytes, size: int) -> bytes | None:
    """The mail (PEEK: left unread); only its headers when it is over the size limit."""
    part = "BODY.PEEK[HEADER]" if size > settings.PRESSDESK_INBOX_MAX_MAIL_BYTES else "BODY.PEEK[]"
    status, data = conn.uid("FETCH", uid.decode(), f"({part})")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and isinstance(item[1], bytes):
            return item[1]
    return None


def _move(conn: imaplib.IMAP4, uid: bytes, folder: str, *, can_move: bool) -> None:
    if can_move:
        status, _ = conn.uid("MOVE", uid.decode(), _quoted(folder))
    else:  # no MOVE: copy, then expunge this one mail only (UIDPLUS), never every \Deleted
        status, _ = conn.uid("COPY", uid.decode(), _quoted(folder))
        if status == "OK":
            conn.uid("STORE", uid.decode(), "+FLAGS.SILENT", r"(\Deleted)")
            status, _ = conn.uid("EXPUNGE", uid.decode())
    if status != "OK":
        msg = "a processed mail could not be moved"
        raise InboxUnavailable(msg)


def _poll(config: dict[str, Any], result: PollResult) -> None:
    conn = _open(config)
    try:
        folder = settings.PRESSDESK_INBOX_DONE_FOLDER
        # typeshed declares every uid() argument a str; SEARCH's charset is None (RFC 3501).
        status, data = conn.uid("SEARCH", None, "ALL")  # type: ignore[arg-type]
        uids = data[0].split() if status == "OK" and data and data[0] else []
        if not uids:
            return
        _ensure_folder(conn, folder)
        # Read again after login: servers (dovecot) advertise MOVE only then.
        status, listed = conn.capability()
        capabilities = set(listed[0].decode().upper().split()) if status == "OK" else set()
        can_move = "MOVE" in capabilities
        if not can_move and "UIDPLUS" not in capabilities:
            msg = "the mail server offers neither MOVE nor UIDPLUS"
            raise InboxUnavailable(msg)
        uids = uids[: settings.PRESSDESK_INBOX_BATCH]
        sizes = _sizes(conn, uids)
        for start in range(0, len(uids), CHUNK):
            taken = []
            for uid in uids[start : start + CHUNK]:
                raw = _fetch(conn, uid, sizes.get(uid, 0))
                if raw is None:
                    result.counts["unreadable"] += 1  # left in the inbox: tried next poll
                    continue
                result.counts[
                    inbound.ingest(raw, size=sizes.get(uid, 0), durable=False).outcome
                ] += 1
                taken.append(uid)
            # One synchronous commit makes the chunk's commits durable; only then do the
            # mails leave the inbox.
            heartbeat.record(name=heartbeat.INBOX)
            for uid in taken:
                _move(conn, uid, folder, can_move=can_move)
    except (imaplib.IMAP4.error, OSError) as exc:
        msg = f"the connection failed mid-poll ({type(exc).__name__})"
        raise InboxUnavailable(msg) from exc
    finally:
        _close(conn)
