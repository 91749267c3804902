"""Template helpers for the desk: highlighted search matches and readable phone numbers."""

import functools
from datetime import datetime
from typing import Any

from django import forms, template
from django.contrib.auth.models import User
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from enquiries.core.normalise import display_phone
from enquiries.models import Enquiry
from enquiries.queue.searching import MARK_START, MARK_STOP, SearchHit

register = template.Library()


@register.filter
def highlight(text: str) -> SafeString:
    """Escape everything, then turn the selector's match markers into <mark> elements."""
    escaped = escape(text or "")
    marked = escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    # Balance a marker cut off by a snippet boundary.
    if marked.count("<mark>") > marked.count("</mark>"):
        marked += "</mark>"
    return mark_safe(marked)  # noqa: S308  # nosec B308 B703: escaped above; only our tags added


@functools.cache
def _labels(model: type[models.Model], name: str) -> dict[Any, Any]:
    field = model._meta.get_field(name)
    return dict(field.flatchoices) if isinstance(field, models.Field) else {}


@register.filter
def display(instance: models.Model, name: str) -> Any:
    """The label of a choice field, like get_FOO_display, from a per-process table: Django
    rebuilds the whole choices dict on every get_FOO_display call (0.5 ms for the audit
    actions, 80 times on an enquiry page). The labels stay lazy, so the language follows."""
    value = getattr(instance, name)
    return _labels(type(instance), name).get(value, value)


@register.filter
def phone(value: str) -> str:
    return display_phone(value or "")


@register.filter
def officer_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f'<time datetime="{local.isoformat()}">{local:%d.%m.%Y %H:%M}</time>'


def _row(row: "Enquiry | SearchHit", *, base: str, labels: dict[str, str]) -> str:
    """One row as HTML; every stored value passes through escape() (or highlight())."""
    hit = row if isinstance(row, SearchHit) else None
    enquiry = row.enquiry if isinstance(row, SearchHit) else row
    if hit:
        topic = f'<span class="search-headline">{highlight(hit.headline)}</span>'
        journalist: str = highlight(hit.journalist_name)
        outlet: str = highlight(hit.outlet_name)
    else:
        topic = escape(enquiry.topic)
        journalist = escape(enquiry.journalist.full_name) if enquiry.journalist else ""
        outlet = escape(enquiry.outlet.name) if enquiry.outlet else ""
    if enquiry.anonymised_at is not None:
        topic += f' <span class="badge text-bg-light anonymised">{labels["anonymised"]}</span>'
    elif enquiry.opted_out:
        topic += f' <span class="badge text-bg-secondary">{labels["do_not_log"]}</span>'
    if enquiry.kind == Enquiry.Kind.FOI:
        topic = f'<span class="badge text-bg-info kind-foi">{labels["foi"]}</span> ' + topic
    if enquiry.out_of_hours:
        topic += f' <span class="badge text-bg-dark out-of-hours">{labels["out_of_hours"]}</span>'
    # data-label names each cell where a phone shows the row as a card (desk-phone.css).
    return (
        f'<tr><td class="queue-reference"><a href="{base}{enquiry.pk}/">'
        f"{escape(enquiry.reference)}</a></td>"
        f'<td class="queue-received">{_when(enquiry.received_at)}</td>'
        f'<td class="queue-topic">{topic}</td>'
        f'<td data-label="{labels["h_journalist"]}">{journalist or labels["dash"]}</td>'
        f'<td data-label="{labels["h_outlet"]}">{outlet or labels["dash"]}</td>'
        f'<td class="queue-status"><span class="badge status-{escape(enquiry.status)}">'
        f"{labels.get(enquiry.status, '')}</span></td>"
        f'<td data-label="{labels["h_deadline"]}">{_when(enquiry.deadline)}</td>'
        f'<td data-label="{labels["h_assigned"]}">'
        f"{escape(officer_name(enquiry.assigned_to)) or labels['dash']}</td></tr>"
    )


@register.simple_tag
def desk_rows(rows: "list[Enquiry | SearchHit]") -> SafeString:
    """The queue's rows, built in Python: a page of them is the desk's hottest template."""
    labels: dict[str, str] = {value: escape(label) for value, label in Enquiry.Status.choices}
    labels.update(
        dash="—",
        do_not_log=escape(gettext("Do not log")),
        anonymised=escape(gettext("Anonymised")),
        out_of_hours=escape(gettext("Out of hours")),
        h_journalist=escape(gettext("Journalist")),
        h_outlet=escape(gettext("Outlet")),
        h_deadline=escape(gettext("Deadline")),
        h_assigned=escape(gettext("Assigned to")),
        foi=escape(pgettext("badge: a request for access to documents", "FOI")),
    )
    base = reverse("desk:queue") + "enquiries/"
    return mark_safe("\n".join(_row(row, base=base, labels=labels) for row in rows))  # noqa: S308  # nosec B308 B703: each value escaped


@register.simple_tag
def filter_controls(form: Any) -> SafeString:
    """The queue's filter controls, built in Python (Django's widget templates cost more than
    the rest of the page). Selects, dates and one checkbox; values escaped."""
    parts = []
    for bound in form:
        field, name, value = bound.field, bound.html_name, bound.value()
        ident, label = escape(bound.auto_id), escape(bound.label)
        if isinstance(field.widget, forms.CheckboxInput):
            checked = " checked" if bound.data else ""
            control = (
                f'<div class="form-check mt-4"><input class="form-check-input" type="checkbox" '
                f'name="{name}" id="{ident}"{checked}> '
                f'<label class="form-check-label" for="{ident}">{label}</label></div>'
            )
        elif isinstance(field.widget, forms.Select):
            current = "" if value is None else str(value)
            options = "".join(
                f'<option value="{escape(choice)}"'
                f"{' selected' if str(choice) == current else ''}>{escape(text)}</option>"
                for choice, text in field.choices
            )
            control = (
                f'<label class="form-label small mb-0" for="{ident}">{label}</label>'
                f'<select class="form-select" name="{name}" id="{ident}">{options}</select>'
            )
        else:
            shown = escape(value) if value and bound.data else ""
            control = (
                f'<label class="form-label small mb-0" for="{ident}">{label}</label>'
                f'<input class="form-control" type="date" name="{name}" id="{ident}" '
                f'value="{shown}">'
            )
        parts.append(f'<div class="col-sm-6 col-lg-3">{control}</div>')
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703: every value escaped above
