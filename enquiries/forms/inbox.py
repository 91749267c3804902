"""The holding pen's one form: which enquiry a held mail belongs to."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AttachForm(forms.Form):
    reference = forms.RegexField(
        label=_("Enquiry reference"),
        regex=r"^\s*[Pp]-\d{4}-\d{5,}\s*$",
        max_length=20,
        error_messages={"invalid": _("Write a reference such as P-2026-00042.")},
    )
