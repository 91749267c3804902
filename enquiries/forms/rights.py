"""Forms of the desk's rights page and the journalist card's erasure: shape only."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.core.normalise import normalise_email, normalise_phone
from enquiries.forms.desk import DayField
from enquiries.models import RightsRequest


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RightsRequest.Kind.choices)
    channel = forms.ChoiceField(label=_("Received by"), choices=RightsRequest.Channel.choices)
    received_on = DayField(label=_("Received on"))
    email = forms.CharField(label=_("E-mail (for an objection)"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone (for an objection)"), max_length=30, required=False)

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


class ErasureForm(forms.Form):
    """The officer types the contact's last name to confirm: erasure cannot be undone."""

    confirm = forms.CharField(label=_("Type the contact's last name to confirm"), max_length=100)

    def __init__(self, *args: Any, expected: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"]
        if typed.strip().casefold() != self.expected.strip().casefold():
            raise ValidationError(_("That is not the contact's last name; nothing was erased."))
        return typed
