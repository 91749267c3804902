"""Template helpers for the desk: highlighted search matches and readable phone numbers."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from enquiries.normalise import display_phone
from enquiries.selectors import MARK_START, MARK_STOP

register = template.Library()


@register.filter
def highlight(text: str) -> SafeString:
    """Escape everything, then turn the selector's match markers into <mark> elements."""
    escaped = escape(text or "")
    marked = escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    # Balance a marker cut off by a snippet boundary.
    if marked.count("<mark>") > marked.count("</mark>"):
        marked += "</mark>"
    return mark_safe(marked)  # noqa: S308 (escaped above; only our own tags added)


@register.filter
def phone(value: str) -> str:
    return display_phone(value or "")


@register.filter
def officer_name(user: object) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
