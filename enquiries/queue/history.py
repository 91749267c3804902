"""The enquiry page's history in words: each audit event as a sentence in the officer's
language ("Status changed from New to Answered by Pia Presse"), never a code or a field
name. The events hold ids and codes only; names are looked up when the page is shown."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from enquiries.models import AuditAction, AuditEvent, Enquiry, Message
from enquiries.privacy.erasure import STRIPPED_FOR_ERASURE, STRIPPED_FOR_OPT_OUT


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    text: str


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _status(value: object) -> str:
    try:
        return str(Enquiry.Status(str(value)).label)
    except ValueError:
        return str(value)


def _fields(names: Iterable[object]) -> str:
    labels = []
    for name in names:
        try:
            field = Enquiry._meta.get_field(str(name))
        except FieldDoesNotExist:
            labels.append(str(name))
            continue
        labels.append(str(getattr(field, "verbose_name", name)))
    return get_text_list(labels, _("and"))


def _stripped(detail: dict[str, object]) -> str:
    routed = detail.get("from") == Enquiry.Status.ROUTED
    reason = detail.get("reason")
    if reason == STRIPPED_FOR_ERASURE:
        if routed:
            return _("Personal data erased at the journalist's request; the enquiry is anonymised")
        return _(
            "Personal data erased at the journalist's request; "
            "the enquiry was closed and anonymised"
        )
    if reason == STRIPPED_FOR_OPT_OUT:
        if routed:
            return _(
                "Personal data removed as the journalist asked not to be logged; "
                "the enquiry is anonymised"
            )
        return _(
            "Personal data removed as the journalist asked not to be logged; "
            "the enquiry was closed and anonymised"
        )
    return _("Personal data removed; the enquiry is anonymised")


def _what(event: AuditEvent, officers: dict[int, str]) -> str:
    detail = event.detail if isinstance(event.detail, dict) else {}
    action = event.action
    if action == AuditAction.ENQUIRY_CREATED:
        return _("Enquiry logged")
    if action == AuditAction.ENQUIRY_STATUS:
        if "from" in detail:
            return _("Status changed from %(old)s to %(new)s") % {
                "old": _status(detail["from"]),
                "new": _status(detail.get("status")),
            }
        return _("Status changed to %(new)s") % {"new": _status(detail.get("status"))}
    if action == AuditAction.ENQUIRY_CHANGED:
        fields = detail.get("fields")
        if isinstance(fields, list) and fields:
            return _("Changed %(fields)s") % {"fields": _fields(fields)}
        return _("Enquiry changed")
    if action == AuditAction.ENQUIRY_ASSIGNED:
        officer = detail.get("officer_id")
        if officer is None:
            return _("Assignment removed")
        name = officers.get(int(str(officer)), "") or _("an officer no longer on the desk")
        return _("Assigned to %(officer)s") % {"officer": name}
    if action == AuditAction.MESSAGE_ADDED:
        direction = detail.get("direction")
        if direction == Message.Direction.INBOUND:
            return _("Inbound e-mail added to the thread")
        if direction == Message.Direction.OUTBOUND:
            return _("Outbound e-mail added to the thread")
        return _("Internal note added to the thread")
    if action == AuditAction.FOI_ROUTING_QUEUED:
        return _("Forwarding to the post registry started")
    if action == AuditAction.FOI_ROUTING_RETRIED:
        return _("Forwarding to the post registry retried")
    if action == AuditAction.FOI_ROUTING_CANCELLED:
        return _("Forwarding to the post registry cancelled")
    if action == AuditAction.FOI_ROUTING_HELD:
        return _("Held for an officer to confirm before it goes to the post registry")
    if action == AuditAction.FOI_ROUTING_RELEASED:
        return _("Confirmed for forwarding to the post registry")
    if action == AuditAction.FOI_CASE_NUMBER:
        return _("Post registry case number recorded")
    if action == AuditAction.PERSONAL_DATA_STRIPPED:
        return _stripped(detail)
    return str(AuditAction(action).label) if action in AuditAction.values else _("Changed")


def history_lines(events: list[AuditEvent], *, officers: Iterable[User]) -> list[HistoryLine]:
    """Sentences for the events (newest first, as given). `officers` names the assigned
    officers; one more query only for an assignee who has left the desk since."""
    names = {user.pk: _name(user) for user in officers}
    wanted = {
        int(str(event.detail["officer_id"]))
        for event in events
        if event.action == AuditAction.ENQUIRY_ASSIGNED
        and isinstance(event.detail, dict)
        and event.detail.get("officer_id") is not None
    }
    if wanted - set(names):
        names.update(
            (user.pk, _name(user)) for user in User.objects.filter(pk__in=wanted - set(names))
        )
    lines = []
    for event in events:
        what = _what(event, names)
        who = _name(event.actor)
        text = _("%(what)s by %(who)s.") % {"what": what, "who": who} if who else f"{what}."
        lines.append(HistoryLine(at=event.at, text=text))
    return lines
