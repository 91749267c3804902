"""The journalist directory's search: shape only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enquiries.forms.desk import LARGEST_ID, DeskForm, LineField


class DirectorySearchForm(DeskForm):
    """Sent by POST: a name typed here never lands in a URL (or a log line)."""

    q = LineField(
        label=_("Find a journalist"),
        max_length=200,
        min_length=2,
        help_text=_("Part of a name, an e-mail address, a phone number or an outlet."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    after = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=LARGEST_ID
    )


class DirectoryPageForm(forms.Form):
    """?after=<id>: the last journalist of the page before (an id, never a name)."""

    after = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)
