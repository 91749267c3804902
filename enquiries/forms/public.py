"""The public enquiry form: shape and length here; rules in the services."""

import secrets
import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enquiries.core.normalise import (
    has_control_characters,
    normalise_email,
    normalise_phone,
    normalise_public_email,
)
from enquiries.models import LinkPurpose

_STAMP_SALT = "pressdesk.enquiry-form"
StrOrPromise = str | Promise


def new_form_stamp(*, shown_at: float | None = None) -> str:
    """A signed (one-time key, time the form was shown) pair for the hidden field. The time is
    when the page was rendered; a form shown again with errors keeps it under a new key."""
    shown = time.time() if shown_at is None else shown_at
    return signing.dumps({"k": secrets.token_urlsafe(24), "t": shown}, salt=_STAMP_SALT)


def read_form_stamp(value: str) -> dict[str, Any]:
    """The stamp's key and time; BadSignature when tampered with or older than
    PRESSDESK_FORM_MAX_AGE_SECONDS (a stamp fetched hours ahead is no use)."""
    return signing.loads(value, salt=_STAMP_SALT, max_age=settings.PRESSDESK_FORM_MAX_AGE_SECONDS)


# Free text has no autofill token: "on", never "off" (Chromium does not restore a field with
# autocomplete="off" on Back, and a journalist's question would be gone after an error page).
def _text_input(autocomplete: str, **attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, "inputmode": "text", **attrs})


def _tel_input(autocomplete: str) -> forms.TextInput:
    return forms.TextInput(attrs={"type": "tel", "autocomplete": autocomplete, "inputmode": "tel"})


def _email_input() -> forms.EmailInput:
    return forms.EmailInput(
        attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
    )


def _messages(*, required: StrOrPromise = "", too_long: StrOrPromise = "") -> dict[str, Any]:
    """Field messages that say what to do with this field, not "This field is required"."""
    messages = {"required": required, "max_length": too_long}
    return {code: message for code, message in messages.items() if message}


_EMAIL_FORM = _("Enter an e-mail address in the right form, like kari.nordmann@nrk.no")
_PHONE_FORM = _("Enter a phone number, like 22 33 44 55 or +47 400 12 345")


def _specific(exc: ValidationError, invalid: StrOrPromise) -> ValidationError:
    """A library's generic "Enter a valid …" replaced by one that shows the right form."""
    if getattr(exc, "code", None) == "invalid":
        return ValidationError(str(invalid), code="invalid")
    return exc


# Fields with a visible character count (static/pressdesk/public.js): the browser does not cut
# what is pasted into them (no maxlength attribute); the count and the field error say so.
COUNTED = ("topic", "question")


class EnquiryForm(forms.Form):
    counted = COUNTED
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=_text_input("given-name"),
        error_messages=_messages(
            required=_("Enter your first name"),
            too_long=_("Your first name can be at most 100 characters."),
        ),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=_text_input("family-name"),
        error_messages=_messages(
            required=_("Enter your last name"),
            too_long=_("Your last name can be at most 100 characters."),
        ),
    )
    outlet = forms.CharField(
        label=_("Outlet"),
        max_length=200,
        widget=_text_input("organization"),
        error_messages=_messages(
            required=_("Enter the outlet you write for, or “freelance”"),
            too_long=_("The outlet can be at most 200 characters."),
        ),
    )
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        widget=_email_input(),
        error_messages=_messages(
            required=_("Enter your e-mail address"),
            too_long=_("An e-mail address can be at most 254 characters."),
        ),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=_tel_input("work tel"),
        error_messages=_messages(too_long=_("A phone number can be at most 30 characters.")),
    )
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=30,
        required=False,
        widget=_tel_input("mobile tel"),
        error_messages=_messages(too_long=_("A phone number can be at most 30 characters.")),
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        widget=_text_input("on"),
        error_messages=_messages(
            required=_("Enter what your enquiry is about, in a few words"),
            too_long=_(
                "The topic can be at most %(limit_value)d characters; it has %(show_value)d."
            ),
        ),
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "on", "inputmode": "text"}),
        error_messages=_messages(
            required=_("Enter your question"),
            too_long=_(
                "Your question can be at most %(limit_value)d characters; it has "
                "%(show_value)d. Shorten it, or send the rest by e-mail."
            ),
        ),
    )
    deadline = forms.DateTimeField(
        label=_("Your deadline"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "autocomplete": "on", "inputmode": "numeric"},
            format="%Y-%m-%dT%H:%M",
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        error_messages={
            "invalid": _("Enter the deadline as a date and a time, for example 24.12.2026 14:00")
        },
    )
    is_foi = forms.BooleanField(
        label=_("This is a request for access to documents under the Freedom of Information Act"),
        required=False,
        widget=forms.CheckboxInput(attrs={"autocomplete": "on"}),
    )
    opt_out = forms.BooleanField(
        label=_("Do not log my contact details and enquiry"),
        required=False,
        widget=forms.CheckboxInput(attrs={"autocomplete": "on"}),
    )
    # A field people never see (hidden by a CSS class); bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["stamp"] = new_form_stamp()
        for name in COUNTED:
            self.fields[name].widget.attrs.pop("maxlength", None)

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
        try:
            return normalise_public_email(self.cleaned_data["email"])
        except ValidationError as exc:
            raise _specific(exc, _EMAIL_FORM) from exc

    def _phone(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        try:
            return normalise_phone(value) if value.strip() else ""
        except ValidationError as exc:
            raise _specific(exc, _PHONE_FORM) from exc

    def clean_phone(self) -> str:
        return self._phone("phone")

    def clean_mobile(self) -> str:
        return self._phone("mobile")

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
        label=_("What do you want?"),
        choices=LinkPurpose.choices,
        widget=forms.RadioSelect(attrs={"autocomplete": "on"}),
        error_messages={"required": _("Choose what you want us to do")},
    )
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=_email_input(),
        error_messages=_messages(
            required=_("Enter your e-mail address"),
            too_long=_("An e-mail address can be at most 254 characters."),
        ),
    )

    def clean_email(self) -> str:
        try:
            return normalise_public_email(self.cleaned_data["email"])
        except ValidationError as exc:
            raise _specific(exc, _EMAIL_FORM) from exc


class ConfirmLinkForm(forms.Form):
    """The confirmation of an e-mailed link asks for the address again: a link read from an
    access log is no use without it."""

    email = forms.CharField(
        label=_("The e-mail address the link was sent to"),
        max_length=254,
        widget=_email_input(),
        error_messages=_messages(
            required=_("Enter the e-mail address the link was sent to"),
            too_long=_("An e-mail address can be at most 254 characters."),
        ),
    )

    def clean_email(self) -> str:
        try:
            return normalise_email(self.cleaned_data["email"])
        except ValidationError as exc:
            raise _specific(exc, _EMAIL_FORM) from exc
