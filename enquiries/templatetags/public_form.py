"""The public forms' fields as plain HTML, built from the bound field in Python (crispy's
stack of templates per field was 85 % of the form page).

The patterns journalists meet on other Norwegian public forms (Designsystemet, NAV's Aksel,
GOV.UK's): a label that says "(valgfritt)" on an optional field and stars nothing, the field's
message tied to it with aria-describedby, a visible character count where there is a limit
(static/pressdesk/public.js keeps it live), and an error summary linking to every field.
"""

from typing import Any

from django import forms, template
from django.forms import BaseForm, BoundField
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _described_by(field: BoundField, count: int | None) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if count:
        ids.append(f"{field.auto_id}_count")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


def _count_limit(field: BoundField) -> int | None:
    """The limit a character count shows: the form lists the fields that get one."""
    if field.name not in getattr(field.form, "counted", ()):
        return None
    return getattr(field.field, "max_length", None)


def _widget(field: BoundField, count: int | None, **extra: str) -> SafeString:
    widget = field.field.widget
    kind = type(widget).__name__.lower()
    base = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
    attrs: dict[str, Any] = {
        "class": f"{kind} {base}{' is-invalid' if field.errors else ''}",
        **extra,
    }
    described = _described_by(field, count)
    if described:
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    if count:
        attrs["data-pd-count"] = str(count)
    return field.as_widget(attrs=attrs)


def _errors(field: BoundField) -> SafeString:
    if not field.errors:
        return SafeString("")
    lines = format_html_join(
        "", '<span class="d-block">{}</span>', ((error,) for error in field.errors)
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, lines)


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return SafeString("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


def _count(field: BoundField, limit: int | None) -> SafeString:
    """Without script: the limit. With it: what is left, or how many too many."""
    if not limit:
        return SafeString("")
    return format_html(
        '<div id="{}_count" class="form-text pd-count" data-left="{}" data-over="{}">{}</div>',
        field.auto_id,
        _("%(count)s characters left"),
        _("%(count)s characters too many"),
        _("You can write up to %(limit)s characters.")
        % {"limit": number_format(limit, force_grouping=True)},
    )


def _label(field: BoundField) -> SafeString:
    if field.field.required:
        return format_html("{}", field.label)
    return format_html('{} <span class="pd-optional">{}</span>', field.label, _("(optional)"))


def _choices(field: BoundField, **extra: str) -> SafeString:
    """Radio buttons: a fieldset whose legend is the label; the message under the legend."""
    options = format_html_join(
        "",
        '<div class="form-check">{} <label class="form-check-label" for="{}">{}</label></div>',
        (
            (
                choice.tag(),
                choice.id_for_label,
                choice.choice_label,
            )
            for choice in field.subwidgets
        ),
    )
    return format_html(
        '<fieldset id="div_{}" class="mb-3"{}><legend class="form-label fs-6">{}</legend>'
        '{}<div class="{}">{}</div></fieldset>',
        field.auto_id,
        format_html(' aria-describedby="{}_error"', field.auto_id) if field.errors else "",
        _label(field),
        _errors(field),
        "is-invalid" if field.errors else "",
        options,
    )


@register.simple_tag
def public_field(field: BoundField, **extra: str) -> SafeString:
    """One field: label, widget (with `extra` attributes), messages, help and count."""
    if field.is_hidden:
        return field.as_widget()
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        if field.errors:
            widget.attrs = {**widget.attrs, "aria-invalid": "true"}
        return _choices(field, **extra)
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{} '
            '<label for="{}" class="form-check-label">{}</label> {}{}</div></div>',
            field.auto_id,
            _widget(field, None, **extra),
            field.id_for_label,
            field.label,
            _errors(field),
            _help(field),
        )
    limit = _count_limit(field)
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label> '
        "{}{}{}{}</div>",
        field.auto_id,
        field.id_for_label,
        _label(field),
        _help(field),
        _widget(field, limit, **extra),
        _errors(field),
        _count(field, limit),
    )


def _target(form: BaseForm, name: str | None) -> str:
    """Where an error's link leads: the field, the first radio button, or the send button."""
    if name is None or form[name].is_hidden:
        return "pd-submit"
    field = form[name]
    if isinstance(field.field.widget, forms.RadioSelect):
        return f"{field.auto_id}_0"
    return str(field.id_for_label)


@register.inclusion_tag("enquiries/public/_error_summary.html")
def error_summary(form: BaseForm) -> dict[str, object]:
    """Every error of a form, in the order of the fields, each a link to its field."""
    errors: list[tuple[str, str]] = [
        (_target(form, None), str(error)) for error in form.non_field_errors()
    ]
    for field in form:
        errors += [(_target(form, field.name), str(error)) for error in field.errors]
    return {"errors": errors}
