"""The report's period picker."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from enquiries.forms.desk import DayField
from enquiries.reports.periods import CHOICES, Period, resolve


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=CHOICES, required=False)
    start = DayField(label=_("From"), required=False)
    end = DayField(label=_("To"), required=False)

    def chosen(self, *, today: date) -> Period:
        """The period asked for; anything invalid falls back to this month."""
        data = self.cleaned_data if self.is_valid() else {}
        return resolve(
            choice=data.get("period") or "this_month",
            today=today,
            start=data.get("start"),
            end=data.get("end"),
        )
