"""Strict readers for configuration from the environment.

Each helper refuses a value it does not understand instead of guessing, so a typo in
production stops the start-up with a one-line reason rather than silently running with a
default.
"""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as exc:
            msg = f"{name}_FILE points at {file_name!r}, which cannot be read ({exc.strerror})."
            raise ImproperlyConfigured(msg) from exc
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name).lower()
    if raw == "":
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    msg = f"{name} must be true or false, not {raw!r}."
    raise ImproperlyConfigured(msg)


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env_str(name)
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        msg = f"{name} must be a whole number of at least {minimum}, not {raw!r}."
        raise ImproperlyConfigured(msg)
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def mailers_from_url(
    url: str, *, timeout: int, oauth: dict[str, str] | None = None
) -> dict[str, dict[str, object]]:
    """Django 6.1 MAILERS from EMAIL_URL; the console backend when it is empty.

    Accepted: ``smtp://user:pass@host:port`` (plain or STARTTLS when offered by ``smtp+tls``)
    and ``smtps://…`` (implicit TLS). With `oauth` (token_url, client_id, client_secret,
    scope) the user logs in with XOAUTH2 and a client-credentials token; no password then.
    """
    if not url:
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    parts = urlsplit(url)
    schemes = {"smtp": (False, False), "smtp+tls": (True, False), "smtps": (False, True)}
    if parts.scheme not in schemes or not parts.hostname:
        msg = "EMAIL_URL must look like smtp://user:pass@host:port (or smtp+tls://, smtps://)."
        raise ImproperlyConfigured(msg)
    use_tls, use_ssl = schemes[parts.scheme]
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
    except ValueError as exc:
        msg = "EMAIL_URL has a port that is not a number."
        raise ImproperlyConfigured(msg) from exc
    options: dict[str, object] = {
        "host": parts.hostname,
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": use_tls,
        "use_ssl": use_ssl,
        "timeout": timeout,
    }
    backend = "enquiries.mail.smtp.EvidenceEmailBackend"
    if oauth:
        if not options["username"] or options["password"]:
            msg = "With PRESSDESK_EMAIL_OAUTH_* set, EMAIL_URL names the mailbox and no password."
            raise ImproperlyConfigured(msg)
        missing = [name for name in ("token_url", "client_id", "client_secret") if not oauth[name]]
        if missing:
            names = ", ".join(f"PRESSDESK_EMAIL_OAUTH_{name.upper()}" for name in missing)
            msg = f"SMTP with OAuth needs {names}."
            raise ImproperlyConfigured(msg)
        token_url = urlsplit(oauth["token_url"])
        if token_url.scheme != "https" and token_url.hostname not in ("127.0.0.1", "localhost"):
            msg = "PRESSDESK_EMAIL_OAUTH_TOKEN_URL must be https (plain http only on loopback)."
            raise ImproperlyConfigured(msg)
        backend = "enquiries.mail.smtp.OAuthEmailBackend"
        options.update(oauth)
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def inbox_from_url(url: str, *, allow_plain: bool) -> dict[str, object] | None:
    """The press inbox from PRESSDESK_INBOX_URL: ``imaps://user:pass@host:993/INBOX``, or
    ``imap://`` (no TLS) on loopback or with ``allow_plain`` (DEBUG). None when empty."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"imaps", "imap"} or not parts.hostname or not parts.username:
        msg = "PRESSDESK_INBOX_URL must look like imaps://user:password@host:993/INBOX."
        raise ImproperlyConfigured(msg)
    if parts.scheme == "imap" and parts.hostname not in _LOOPBACK and not allow_plain:
        msg = "PRESSDESK_INBOX_URL: imap:// (no TLS) is only for loopback; use imaps://."
        raise ImproperlyConfigured(msg)
    try:
        port = parts.port or (993 if parts.scheme == "imaps" else 143)
    except ValueError as exc:
        msg = "PRESSDESK_INBOX_URL has a port that is not a number."
        raise ImproperlyConfigured(msg) from exc
    return {
        "host": parts.hostname,
        "port": port,
        "ssl": parts.scheme == "imaps",
        "username": unquote(parts.username),
        "password": unquote(parts.password or ""),
        "folder": unquote(parts.path.lstrip("/")) or "INBOX",
    }
