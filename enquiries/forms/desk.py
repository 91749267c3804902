"""The desk's forms: they check shape (lengths, formats, control characters); the services
check the rules, and their field errors come back onto these same forms."""

from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.core.normalise import has_control_characters, normalise_email, normalise_phone
from enquiries.models import Enquiry, Message

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DETAILS_MAX = 20_000
BODY_MAX = 100_000


def _no_control_characters(value: str) -> None:
    if has_control_characters(value):
        raise ValidationError(_("Remove the control characters from this field."))


def _no_control_characters_in_text(value: str) -> None:
    if has_control_characters(value, allow_newlines=True):
        raise ValidationError(_("Remove the control characters from this field."))


class LineField(forms.CharField):
    """One line of text: no control characters, surrounding space trimmed."""

    default_validators = [_no_control_characters]


class TextField(forms.CharField):
    widget = forms.Textarea
    default_validators = [_no_control_characters_in_text]


# The dates the desk can mean. Outside them a date is a typing slip (or a probe), and a
# field error: at the edges of the calendar a day later or a time zone away does not exist.
# Ids are 64-bit in both databases; a larger number in a form is refused, not a 500.
LARGEST_ID = 2**63 - 1
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def plausible_day(value: date | datetime | None) -> None:
    """A field validator: the date (of a datetime, too) lies within the desk's calendar."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            params={"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
        )


class DayField(forms.DateField):
    """A date in the desk's calendar (see plausible_day), shown as a date picker."""

    default_validators = [plausible_day]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)


class WhenField(forms.DateTimeField):
    default_validators = [plausible_day]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        )
        super().__init__(**kwargs)


def _clean_email(value: str) -> str:
    return normalise_email(value) if value else ""


def _clean_phone(value: str) -> str:
    return normalise_phone(value) if value else ""


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A choice field whose choices are known only at run time (officers, categories)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        msg = f"{name} is not a choice field"
        raise TypeError(msg)
    return field


class DeskForm(forms.Form):
    """Bootstrap classes on every widget, set once here rather than in each template; a field
    with an error is marked (red border, aria-invalid, described by its message, whose id
    templates/enquiries/desk/_field.html gives) and static/pressdesk/desk.js focuses the
    first one."""

    # A hidden field's error is shown at, and marks, the visible field that sets it.
    error_targets: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self.visible_fields():
            widget = bound.field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if bound.help_text:
                widget.attrs.setdefault("aria-describedby", f"{bound.auto_id}_help")

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in list(self.errors):
            target = self.error_targets.get(name, name)
            if target in self.fields:
                self._mark_invalid(self[target])

    @staticmethod
    def _mark_invalid(bound: forms.BoundField) -> None:
        attrs = bound.field.widget.attrs
        attrs["aria-invalid"] = "true"
        classes = attrs.get("class", "").split()
        if "is-invalid" not in classes:
            attrs["class"] = " ".join([*classes, "is-invalid"])
        described = [f"{bound.auto_id}_error"]
        if bound.help_text:
            described.append(f"{bound.auto_id}_help")
        attrs["aria-describedby"] = " ".join(described)


def _combobox(listbox: str) -> dict[str, str]:
    """The ARIA combobox pattern; static/pressdesk/desk.js fills the listbox as one types."""
    return {
        "role": "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": listbox,
        "autocomplete": "off",
    }


# --- The queue ------------------------------------------------------------------------------

ASSIGNED_MINE = "mine"
ASSIGNED_NONE = "none"


class QueueFilterForm(DeskForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Enquiry.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Enquiry.Kind.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("Any channel")), *Enquiry.Channel.choices],
    )
    assigned = forms.ChoiceField(label=_("Assigned to"), required=False)
    category = forms.TypedChoiceField(
        label=_("Topic category"), required=False, coerce=int, empty_value=None
    )
    received_from = DayField(label=_("Received from"), required=False)
    received_to = DayField(label=_("Received to"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(
        self,
        *args: Any,
        officers: list[tuple[int, str]],
        categories: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        """`officers` and `categories` are (id, label) pairs (selectors.queue_filter_choices)."""
        super().__init__(*args, **kwargs)
        _choice_field(self, "assigned").choices = [
            ("", _("Anyone")),
            (ASSIGNED_MINE, _("Mine")),
            (ASSIGNED_NONE, _("Unassigned")),
            *[(str(pk), label) for pk, label in officers],
        ]
        _choice_field(self, "category").choices = [("", _("Any category")), *categories]


class SearchForm(DeskForm):
    q = LineField(label=_("Search"), max_length=200, required=True)


# --- Quick logging --------------------------------------------------------------------------


class LogCallForm(DeskForm):
    error_targets = {"journalist": "journalist_lookup"}

    journalist = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=LARGEST_ID
    )
    journalist_lookup = LineField(
        label=_("Journalist"),
        required=False,
        max_length=200,
        # The caller is on the line: the cursor starts here.
        widget=forms.TextInput(attrs={**_combobox("journalist-suggestions"), "autofocus": True}),
        help_text=_("Type part of a name, an e-mail address or a phone number."),
    )
    new_first_name = LineField(label=_("First name"), required=False, max_length=100)
    new_last_name = LineField(label=_("Last name"), required=False, max_length=100)
    new_email = LineField(label=_("E-mail"), required=False, max_length=254)
    new_phone = LineField(label=_("Phone"), required=False, max_length=40)
    new_mobile = LineField(label=_("Mobile"), required=False, max_length=40)
    outlet_name = LineField(
        label=_("Outlet"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=_combobox("outlet-suggestions")),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Enquiry.Channel.choices, initial=Enquiry.Channel.PHONE
    )
    received_at = WhenField(label=_("Received"))
    # When the form was opened, to the second: an untouched "received" (minutes only) means
    # then, so a call logged this minute still sorts above one logged a few seconds earlier.
    opened_at = forms.DateTimeField(
        required=False, widget=forms.HiddenInput, validators=[plausible_day]
    )
    topic = LineField(label=_("Topic"), max_length=200)
    details = TextField(
        label=_("Details"),
        required=False,
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    topic_category = forms.TypedChoiceField(
        label=_("Topic category"), required=False, coerce=int, empty_value=None
    )
    deadline = WhenField(label=_("Deadline"), required=False)
    # One wording for the opt-out, in the label and in both help texts («Ikke loggfør meg»).
    opted_out = forms.BooleanField(
        label=_("Do not log me"),
        required=False,
        help_text=_("The journalist said “Do not log me”: personal data goes when it is closed."),
    )
    answered = forms.BooleanField(
        label=_("Answered on the phone: nothing to follow up"),
        required=False,
        help_text=_("With “Do not log me”, nothing personal is stored at all."),
    )

    def __init__(self, *args: Any, categories: list, **kwargs: Any) -> None:
        now = timezone.localtime()
        kwargs.setdefault(
            "initial",
            {
                "received_at": now.strftime(DATETIME_FORMAT),
                "opened_at": now.isoformat(),
                "channel": "phone",
            },
        )
        super().__init__(*args, **kwargs)
        _choice_field(self, "topic_category").choices = [
            ("", "—"),
            *[(category.pk, category.name) for category in categories],
        ]

    def clean_new_email(self) -> str:
        return _clean_email(self.cleaned_data["new_email"])

    def clean_new_phone(self) -> str:
        return _clean_phone(self.cleaned_data["new_phone"])

    def clean_new_mobile(self) -> str:
        return _clean_phone(self.cleaned_data["new_mobile"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opened, received = data.get("opened_at"), data.get("received_at")
        if opened and received and received == opened.replace(second=0, microsecond=0):
            data["received_at"] = opened
        if data.get("journalist"):
            return data
        new = [data.get(name) for name in ("new_first_name", "new_last_name")]
        contact = [data.get(name) for name in ("new_email", "new_phone", "new_mobile")]
        if any(new) or any(contact):
            if not data.get("new_first_name") and "new_first_name" not in self.errors:
                self.add_error("new_first_name", _("Enter the journalist's first name."))
            if not data.get("new_last_name") and "new_last_name" not in self.errors:
                self.add_error("new_last_name", _("Enter the journalist's last name."))
        return data

    @property
    def has_new_contact(self) -> bool:
        return bool(self.cleaned_data.get("new_first_name"))


# --- The enquiry page -----------------------------------------------------------------------


class EnquiryEditForm(DeskForm):
    received_at = WhenField(label=_("Received"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Enquiry.Channel.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Enquiry.Kind.choices)
    outlet_name = LineField(label=_("Outlet"), required=False, max_length=200)
    topic = LineField(label=_("Topic"), max_length=200)
    details = TextField(label=_("Details"), required=False, max_length=DETAILS_MAX)
    topic_category = forms.TypedChoiceField(
        label=_("Topic category"), required=False, coerce=int, empty_value=None
    )
    deadline = WhenField(label=_("Deadline"), required=False)
    opted_out = forms.BooleanField(label=_("Do not log me"), required=False)

    def __init__(self, *args: Any, categories: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "topic_category").choices = [
            ("", "—"),
            *[(category.pk, category.name) for category in categories],
        ]


class MessageForm(DeskForm):
    direction = forms.ChoiceField(
        label=_("Kind"), choices=Message.Direction.choices, initial=Message.Direction.NOTE
    )
    sent_at = WhenField(label=_("Date"), required=False)
    from_address = LineField(label=_("From"), required=False, max_length=1000)
    to_address = LineField(label=_("To"), required=False, max_length=1000)
    subject = LineField(label=_("Subject"), required=False, max_length=998)
    body = TextField(label=_("Text"), max_length=BODY_MAX)

    def clean_sent_at(self) -> Any:
        value = self.cleaned_data["sent_at"]
        if value and value > timezone.now() + timedelta(minutes=5):
            raise ValidationError(_("The date cannot be in the future."))
        return value


class AssignForm(DeskForm):
    officer = forms.TypedChoiceField(
        label=_("Assign to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, officers: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "officer").choices = [
            ("", _("Nobody")),
            *[(user.pk, user.get_full_name() or user.get_username()) for user in officers],
        ]


DESK_STATUSES = [
    (value, label) for value, label in Enquiry.Status.choices if value != Enquiry.Status.ROUTED
]


class StatusForm(DeskForm):
    status = forms.ChoiceField(label=_("Status"), choices=DESK_STATUSES)


# --- The journalist card --------------------------------------------------------------------


class JournalistForm(DeskForm):
    first_name = LineField(label=_("First name"), max_length=100)
    last_name = LineField(label=_("Last name"), max_length=100)
    email = LineField(label=_("E-mail"), required=False, max_length=254)
    phone = LineField(label=_("Phone"), required=False, max_length=40)
    mobile = LineField(label=_("Mobile"), required=False, max_length=40)
    outlet_name = LineField(label=_("Outlet"), required=False, max_length=200)

    def clean_email(self) -> str:
        return _clean_email(self.cleaned_data["email"])

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])

    def clean_mobile(self) -> str:
        return _clean_phone(self.cleaned_data["mobile"])


class MergeForm(DeskForm):
    duplicate = forms.IntegerField(
        label=_("Duplicate to merge into this one"), min_value=1, max_value=LARGEST_ID
    )


# The fields compared side by side when merging, in the order the cards show them.
MERGE_FIELDS: dict[str, Any] = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "mobile": _("Mobile"),
    "outlet": _("Outlet"),
}
KEEP, DUPLICATE = "keep", "duplicate"


def _merge_choice(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(KEEP, _("this card")), (DUPLICATE, _("the duplicate"))],
        widget=forms.RadioSelect,
    )


class MergeChoiceForm(MergeForm):
    """Which card's value each field keeps: "keep" (this card) or "duplicate"."""

    first_name = _merge_choice(MERGE_FIELDS["first_name"])
    last_name = _merge_choice(MERGE_FIELDS["last_name"])
    email = _merge_choice(MERGE_FIELDS["email"])
    phone = _merge_choice(MERGE_FIELDS["phone"])
    mobile = _merge_choice(MERGE_FIELDS["mobile"])
    outlet = _merge_choice(MERGE_FIELDS["outlet"])

    def taken(self) -> list[str]:
        """The fields whose value comes from the duplicate."""
        return [name for name in MERGE_FIELDS if self.cleaned_data.get(name) == DUPLICATE]


# --- FOI routing ----------------------------------------------------------------------------


class CaseNumberForm(DeskForm):
    case_number = LineField(
        label=_("Post registry case number"),
        max_length=100,
        help_text=_("The registry's own number (saksnummer), e.g. 2026/1234."),
    )
