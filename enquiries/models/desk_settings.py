"""The desk's settings: one row, edited in admin, read (cached) by the public pages."""

from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeskSettings(models.Model):
    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    press_phone = models.CharField(_("press-duty phone"), max_length=20)
    press_email = models.EmailField(_("press-duty e-mail"))
    notice = models.CharField(
        _("notice"),
        max_length=500,
        blank=True,
        help_text=_(
            "Shown on the press page while set, e.g. 'Replies may take longer than usual'."
        ),
    )
    post_registry_email = models.EmailField(_("post registry e-mail"))
    public_journal_url = models.URLField(_("public electronic post journal"), blank=True)
    signature = models.TextField(
        _("signature"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Put below every reply from the desk. {officer_name} becomes the officer's name."
        ),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Logged information is deleted this many years after it was received."),
    )
    channel_retention_months = models.JSONField(
        _("shorter retention per channel (months)"),
        default=dict,
        blank=True,
        help_text=_('Optional, e.g. {"social": 6}: social-media messages go after six months.'),
    )
    # Staff addresses (a team list, the director's office), never a journalist's: the summary
    # holds figures only.
    report_recipients = models.TextField(
        _("monthly summary to"),
        blank=True,
        help_text=_(
            "Addresses that get the monthly summary of figures on the first of each month, one "
            "per line. It holds counts and times only, never a person."
        ),
    )
    office_opens = models.TimeField(
        _("office opens"),
        default=time(8, 0),
        help_text=_("Working-day clocks (FOI forwarding, alerts) count from this time."),
    )
    office_closes = models.TimeField(
        _("office closes"),
        default=time(16, 0),
        help_text=_(
            "Enquiries received after this time, at weekends or on public holidays "
            "are marked as out of hours."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("desk settings")
        verbose_name_plural = _("desk settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="desksettings_single_row"),
            models.CheckConstraint(
                condition=Q(retention_years__gte=1, retention_years__lte=10),
                name="desksettings_retention_range",
            ),
            models.CheckConstraint(
                condition=Q(office_closes__gt=models.F("office_opens")),
                name="desksettings_office_hours_order",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Desk settings"))

    @property
    def report_addresses(self) -> list[str]:
        return [line.strip() for line in self.report_recipients.splitlines() if line.strip()]

    def clean(self) -> None:
        """Each summary address is an address; the office closes after it opens; each shorter
        period names a known channel and is a whole number of months shorter than the general
        retention period."""
        for address in self.report_addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {
                        "report_recipients": _("%(line)s is not an e-mail address.")
                        % {"line": address[:100]}
                    }
                ) from None
        # A value the field check refused is not a time yet: only its field error shows.
        opens: object = self.office_opens
        closes: object = self.office_closes
        if isinstance(opens, time) and isinstance(closes, time) and closes <= opens:
            raise ValidationError({"office_closes": _("The office must close after it opens.")})
        self._clean_channel_retention()

    def _clean_channel_retention(self) -> None:
        problems = channel_retention_problems(self.channel_retention_months, self.retention_years)
        if problems:
            raise ValidationError({"channel_retention_months": next(iter(problems.values()))})


def channel_retention_problems(periods: object, retention_years: int | None) -> dict[str, str]:
    """What is wrong with the shorter periods, by channel ("" for the whole value): each names
    a known channel and is a whole number of months shorter than the general retention."""
    from enquiries.models.enquiry import Channel

    if not isinstance(periods, dict):
        return {"": str(_("Give channel: months pairs."))}
    longest = (retention_years or 0) * 12
    problems = {}
    for channel, months in periods.items():
        if channel not in Channel.values:
            problems[channel] = str(_("%(channel)s is not a channel.") % {"channel": channel})
        elif not isinstance(months, int) or isinstance(months, bool) or not 1 <= months < longest:
            problems[channel] = str(
                _("Months must be a whole number from 1 to %(longest)s.") % {"longest": longest - 1}
            )
    return problems
