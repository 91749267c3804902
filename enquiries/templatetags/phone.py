"""Tap-to-call: a phone number as a tel: link (the href without spaces, the text as stored)."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def tel_href(number: str) -> str:
    """`+47 21 00 00 00` → `tel:+4721000000` (RFC 3966: digits, a leading plus)."""
    digits = re.sub(r"[^\d+]", "", number)
    return "tel:" + digits[:1] + digits[1:].replace("+", "")


@register.simple_tag
def tel_link(number: str) -> SafeString:
    if not number:
        return SafeString("")
    return format_html('<a href="{}" class="pd-tel">{}</a>', tel_href(number), number)
