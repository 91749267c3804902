"""The public enquiry form: shape and length here; rules in the services."""

import secrets
import time
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.core.normalise import (
    has_control_characters,
    normalise_email,
    normalise_phone,
    normalise_public_email,
)
from enquiries.models import LinkPurpose

_STAMP_SALT = "pressdesk.enquiry-form"


def new_form_stamp(*, shown_at: float | None = None) -> str:
    """A signed (one-time key, time the form was shown) pair for the hidden field. The time is
    when the page was rendered; a form shown again with errors keeps it under a new key."""
    shown = time.time() if shown_at is None else shown_at
    return signing.dumps({"k": secrets.token_urlsafe(24), "t": shown}, salt=_STAMP_SALT)


def read_form_stamp(value: str) -> dict[str, Any]:
    """The stamp's key and time; BadSignature when tampered with or older than
    PRESSDESK_FORM_MAX_AGE_SECONDS (a stamp fetched hours ahead is no use)."""
    return signing.loads(value, salt=_STAMP_SALT, max_age=settings.PRESSDESK_FORM_MAX_AGE_SECONDS)


class EnquiryForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    outlet = forms.CharField(label=_("Outlet"), max_length=200)
    email = forms.CharField(label=_("E-mail"), max_length=254, widget=forms.EmailInput)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=30, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    question = forms.CharField(
        label=_("Your question"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    deadline = forms.DateTimeField(
        label=_("Your deadline (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )
    is_foi = forms.BooleanField(
        label=_("This is a request for access to documents under the Freedom of Information Act"),
        required=False,
    )
    opt_out = forms.BooleanField(
        label=_("Do not log my contact details and enquiry"), required=False
    )
    # A field people never see (hidden by a CSS class); bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["stamp"] = new_form_stamp()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Div(
                Div("first_name", css_class="col-sm-6"),
                Div("last_name", css_class="col-sm-6"),
                css_class="row",
            ),
            "outlet",
            "email",
            Div(
                Div("phone", css_class="col-sm-6"),
                Div("mobile", css_class="col-sm-6"),
                css_class="row",
            ),
            "topic",
            "question",
            "deadline",
            "is_foi",
            "opt_out",
            Div(
                Field("website", autocomplete="off", tabindex="-1"),
                css_class="pd-honeypot",
                aria_hidden="true",
            ),
            "stamp",
            Submit("submit", _("Send enquiry"), css_class="btn-lg"),
        )

    def _text(self, name: str) -> str:
        value = self.cleaned_data.get(name, "") or ""
        if has_control_characters(value, allow_newlines=name == "question"):
            raise ValidationError(_("Remove the control characters from this field."))
        return value.strip()

    def clean_first_name(self) -> str:
        return self._text("first_name")

    def clean_last_name(self) -> str:
        return self._text("last_name")

    def clean_outlet(self) -> str:
        return self._text("outlet")

    def clean_topic(self) -> str:
        return self._text("topic")

    def clean_question(self) -> str:
        return self._text("question")

    def clean_email(self) -> str:
        return normalise_public_email(self.cleaned_data["email"])

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return normalise_phone(value) if value.strip() else ""

    def clean_mobile(self) -> str:
        value = self.cleaned_data.get("mobile", "")
        return normalise_phone(value) if value.strip() else ""

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.now():
            raise ValidationError(_("The deadline has already passed."))
        return deadline

    def clean_stamp(self) -> dict[str, Any]:
        try:
            stamp = read_form_stamp(self.cleaned_data["stamp"])
        except signing.BadSignature as exc:
            raise ValidationError(_("The form has expired. Please send it again.")) from exc
        return stamp

    def stamp_key(self) -> str:
        """The one-time key of the stamp sent back, if it is a good one."""
        try:
            return str(read_form_stamp(self.data.get("stamp", ""))["k"])
        except signing.BadSignature:
            return ""

    def renew_stamp(self) -> None:
        """Shown again (with errors, or after a refusal): a new one-time key, the same time the
        page was first shown (so a person correcting a field is not taken for a bot)."""
        try:
            shown_at = float(read_form_stamp(self.data.get("stamp", ""))["t"])
        except signing.BadSignature:
            shown_at = None
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["stamp"] = new_form_stamp(shown_at=shown_at)
        self.data = data

    def is_bot(self) -> bool:
        """The honeypot was filled in, or the form came back faster than a person types."""
        if self.data.get("website"):
            return True
        try:
            stamp = read_form_stamp(self.data.get("stamp", ""))
        except signing.BadSignature:
            return False  # an expired form is a field error, not a bot
        return time.time() - float(stamp["t"]) < settings.PRESSDESK_FORM_MIN_SECONDS


class RightsLinkForm(forms.Form):
    """The privacy page's request: what the journalist wants, and the address to confirm by."""

    purpose = forms.ChoiceField(
        label=_("What do you want?"), choices=LinkPurpose.choices, widget=forms.RadioSelect
    )
    email = forms.CharField(label=_("Your e-mail address"), max_length=254, widget=forms.EmailInput)

    def clean_email(self) -> str:
        return normalise_public_email(self.cleaned_data["email"])


class ConfirmLinkForm(forms.Form):
    """The confirmation of an e-mailed link asks for the address again: a link read from an
    access log is no use without it."""

    email = forms.CharField(
        label=_("The e-mail address the link was sent to"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])
