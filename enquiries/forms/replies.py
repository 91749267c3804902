"""The reply form on the enquiry page: shape only (addresses, lengths, the form's key); the
rules (whom it goes to, which mail it answers) are handling.replies'."""

import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from enquiries.core.normalise import normalise_public_email
from enquiries.forms.desk import BODY_MAX, DeskForm, LineField, TextField
from enquiries.models import Message

CC_MAX = 10
SEND = "send"
SEND_AND_ANSWER = "send_answered"
INSERT = "insert"  # put the chosen canned reply into the text; nothing is sent


class ReplyForm(DeskForm):
    cc = LineField(
        label=_("Cc"),
        required=False,
        max_length=1000,
        help_text=_("Copies to other addresses, separated by commas."),
    )
    subject = LineField(label=_("Subject"), required=False, max_length=250)
    answers = forms.TypedChoiceField(
        label=_("In answer to"), required=False, coerce=int, empty_value=None
    )
    canned = forms.TypedChoiceField(
        label=_("Canned reply"), required=False, coerce=int, empty_value=None
    )
    body = TextField(label=_("Text"), required=False, max_length=BODY_MAX)
    key = forms.CharField(widget=forms.HiddenInput, max_length=36)
    action = forms.ChoiceField(
        choices=[(SEND, SEND), (SEND_AND_ANSWER, SEND_AND_ANSWER), (INSERT, INSERT)],
        widget=forms.HiddenInput,
        required=False,
    )

    def __init__(
        self, *args: Any, inbound: list[Message], canned: list[Any], **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("key", str(uuid.uuid4()))
        # Its own ids: the note form on the same page has a subject and a text too.
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)
        answers = self.fields["answers"]
        canned_field = self.fields["canned"]
        assert isinstance(answers, forms.ChoiceField)
        assert isinstance(canned_field, forms.ChoiceField)
        answers.choices = [
            ("", _("No particular mail")),
            *[
                (m.pk, f"{m.sent_at:%d.%m.%Y %H:%M} · {m.from_address} · {m.subject}"[:120])
                for m in inbound
            ],
        ]
        canned_field.choices = [("", "—"), *[(c.pk, c.name) for c in canned]]

    def clean_key(self) -> str:
        try:
            return str(uuid.UUID(self.cleaned_data["key"]))
        except ValueError as exc:
            raise ValidationError(_("The form has expired: reload the page.")) from exc

    def clean_cc(self) -> list[str]:
        parts = [part for part in re.split(r"[,;\s]+", self.cleaned_data["cc"]) if part]
        if len(parts) > CC_MAX:
            raise ValidationError(
                _("At most %(count)s copies."), params={"count": CC_MAX}, code="too_many"
            )
        addresses = []
        for part in parts:
            try:
                validate_email(part)
                addresses.append(normalise_public_email(part))
            except ValidationError as exc:
                raise ValidationError(
                    _("Each copy must be an e-mail address on a public internet domain."),
                    code="invalid",
                ) from exc
        return list(dict.fromkeys(addresses))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action") or SEND
        data["action"] = action
        if action == INSERT and data.get("canned") is None and "canned" not in self.errors:
            self.add_error("canned", _("Choose a canned reply to insert."))
        if action != INSERT and not (data.get("body") or "").strip() and "body" not in self.errors:
            self.add_error("body", _("Write the reply."))
        if action != INSERT and not data.get("subject") and "subject" not in self.errors:
            self.add_error("subject", _("Write a subject."))
        return data
