"""Durations as the desk shows them: "2 d 3 h", "3 h 20 min", "12 min"."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def span(value: timedelta | None) -> str:
    """A duration, rounded down to the minute, without its sign."""
    if value is None:
        return ""
    minutes = abs(int(value.total_seconds())) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.filter
def is_past(value: timedelta | None) -> bool:
    return value is not None and value <= timedelta(0)
