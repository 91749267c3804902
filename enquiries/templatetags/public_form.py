"""The public form's fields as plain HTML: the markup crispy-forms (bootstrap5) produced, in
a fraction of the time. crispy rendered a stack of templates per field and was 85 % of the
form page; this builds each field from the bound field in Python.

Kept equal to crispy's output (labels, ids, error markup, aria attributes), so the browser
tests, the stylesheet and anyone's assistive technology see the same form.
"""

from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _widget(field: BoundField, **extra: str) -> SafeString:
    widget = field.field.widget
    kind = type(widget).__name__.lower()  # crispy's class: textinput, textarea, …
    base = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
    attrs: dict[str, str | bool] = {
        "class": f"{kind} {base}{' is-invalid' if field.errors else ''}",
        **extra,
    }
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)


def _errors(field: BoundField) -> SafeString:
    if not field.errors:
        return SafeString("")
    spans = format_html_join(
        "",
        '<span id="error_{}_{}"><strong>{}</strong></span>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, spans)


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return SafeString("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


@register.simple_tag
def public_field(field: BoundField, **extra: str) -> SafeString:
    """One field: label, widget (with `extra` attributes), errors and help, as crispy did."""
    if field.is_hidden:
        return field.as_widget()
    if isinstance(field.field.widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{} '
            '<label for="{}" class="form-check-label">{}</label> {}{}</div></div>',
            field.auto_id,
            _widget(field, **extra),
            field.id_for_label,
            field.label,
            _errors(field),
            _help(field),
        )
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label> '
        "{} {}{}</div>",
        field.auto_id,
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        SafeString('<span class="asteriskField">*</span>') if required else "",
        _widget(field, **extra),
        _errors(field),
        _help(field),
    )
