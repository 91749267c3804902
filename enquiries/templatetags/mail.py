from django import template

from enquiries.intake.mail_text import split_quoted

register = template.Library()


@register.filter
def folded(body: str) -> tuple[str, str]:
    """(what the sender wrote, the quoted history folded below it)."""
    return split_quoted(body or "")
