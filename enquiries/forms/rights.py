"""Forms of the desk's rights page and the journalist card's erasure: shape only."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.core.normalise import normalise_email, normalise_phone
from enquiries.forms.desk import LARGEST_ID, DayField, LineField
from enquiries.models import RightsRequest

# How an officer can have checked who asked (self-service links check themselves).
DESK_IDENTITY_CHECKS = [
    (value, label)
    for value, label in RightsRequest.IdentityCheck.choices
    if value != RightsRequest.IdentityCheck.SELF_SERVICE
]
DESK_CHANNELS = [
    (value, label)
    for value, label in RightsRequest.Channel.choices
    if value != RightsRequest.Channel.SELF_SERVICE
]


def _requester_name() -> LineField:
    return LineField(label=_("Who asked (name)"), max_length=200, required=False)


def _identity_check() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Identity checked"),
        choices=DESK_IDENTITY_CHECKS,
        required=False,
        widget=forms.RadioSelect,
    )


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RightsRequest.Kind.choices)
    # Self-service requests register themselves; an officer registers the others.
    channel = forms.ChoiceField(
        label=_("Received by"), choices=DESK_CHANNELS, initial=RightsRequest.Channel.PHONE
    )
    received_on = DayField(label=_("Received on"))
    requester_name = _requester_name()
    identity_check = _identity_check()
    email = forms.CharField(
        label=_("Their e-mail (finds the contact; opts out on an objection)"),
        max_length=254,
        required=False,
    )
    phone = forms.CharField(
        label=_("Their phone (finds the contact; opts out on an objection)"),
        max_length=30,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("requester_name", "identity_check"):
            self.fields[name].required = True
        for bound in self.visible_fields():
            widget = bound.field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-select form-select-sm"
            elif not isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-control form-control-sm"

    def clean_received_on(self) -> Any:
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise ValidationError(_("The date received cannot be in the future."))
        return received

    def clean_email(self) -> str:
        value = self.cleaned_data.get("email", "")
        return normalise_email(value) if value.strip() else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return normalise_phone(value) if value.strip() else ""


class ExtensionForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Extend by"),
        choices=[(1, _("one month")), (2, _("two months"))],
        coerce=int,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)
    told_on = DayField(label=_("Requester told on"))


class OptOutForm(forms.Form):
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    withdraw = forms.BooleanField(label=_("Withdraw instead"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        email, phone = data.get("email", "").strip(), data.get("phone", "").strip()
        if not email and not phone:
            raise ValidationError(_("Give an e-mail address or a phone number."))
        try:
            data["email"] = normalise_email(email) if email else ""
        except ValidationError as exc:
            self.add_error("email", exc)
        try:
            data["phone"] = normalise_phone(phone) if phone else ""
        except ValidationError as exc:
            self.add_error("phone", exc)
        return data


class CardRequestForm(forms.Form):
    """Which rights request an erasure or export from the card answers: an open one of the
    contact's, or a new one with who asked and how their identity was checked."""

    kind = RightsRequest.Kind.ACCESS

    # A number shown as a list of the contact's open requests; any other id is refused by the
    # service ("not an open request of this contact"), as a stale page would send one.
    request = forms.IntegerField(
        label=_("Rights request"),
        required=False,
        min_value=1,
        max_value=LARGEST_ID,
        widget=forms.Select,
    )
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[("", "—"), *DESK_CHANNELS],
        initial=RightsRequest.Channel.PHONE,
        required=False,
    )
    requester_name = _requester_name()
    identity_check = _identity_check()

    def __init__(
        self, *args: Any, open_requests: list[RightsRequest] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("request", "channel"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["requester_name"].widget.attrs["class"] = "form-control form-control-sm"
        mine = [request for request in open_requests or [] if request.kind == self.kind]
        if mine and not self.is_bound:
            # The card is most likely answering the contact's open request (the oldest).
            self.initial.setdefault("request", min(mine, key=lambda r: r.received_at).pk)
        self.fields["request"].widget.choices = [
            ("", _("A new request, registered now")),
            *[
                (request.pk, _("%(kind)s received %(day)s")
                 % {"kind": request.get_kind_display(),
                    "day": timezone.localtime(request.received_at).strftime("%d.%m.%Y")})
                for request in mine
            ],
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("request") is None and "request" not in self.errors:
            if not data.get("channel") and "channel" not in self.errors:
                self.add_error("channel", _("Say how the request was received."))
            if not data.get("requester_name") and "requester_name" not in self.errors:
                self.add_error("requester_name", _("Say who asked."))
            if not data.get("identity_check") and "identity_check" not in self.errors:
                self.add_error("identity_check", _("Say how their identity was checked."))
        return data


class ExportForm(CardRequestForm):
    kind = RightsRequest.Kind.ACCESS


class ErasureForm(CardRequestForm):
    """The officer also types the contact's last name to confirm: erasure cannot be undone."""

    kind = RightsRequest.Kind.ERASURE

    confirm = forms.CharField(label=_("Type the contact's last name to confirm"), max_length=100)

    def __init__(self, *args: Any, expected: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"]
        if typed.strip().casefold() != self.expected.strip().casefold():
            raise ValidationError(_("That is not the contact's last name; nothing was erased."))
        return typed
