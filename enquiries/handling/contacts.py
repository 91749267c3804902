"""Journalists and outlets: creating, finding and changing contacts."""

from collections.abc import Collection

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from enquiries.core import audit
from enquiries.core.errors import (
    CannotMergeWithItself,
    DuplicateEmail,
    DuplicateName,
    JournalistNotFound,
    NothingToAccept,
)
from enquiries.core.normalise import normalise_email, normalise_phone
from enquiries.models import (
    AuditAction,
    Enquiry,
    Journalist,
    Outlet,
    RightsRequest,
    TopicCategory,
)

JOURNALIST_FIELDS = ("first_name", "last_name", "email", "phone", "mobile", "outlet")


def _normalised_contact(email: str | None, phone: str, mobile: str) -> tuple[str | None, str, str]:
    return (
        normalise_email(email) if email and email.strip() else None,
        normalise_phone(phone) if phone and phone.strip() else "",
        normalise_phone(mobile) if mobile and mobile.strip() else "",
    )


def _check_unique(journalist: Journalist) -> None:
    """Validate; a normalised e-mail that belongs to someone else is refused."""
    journalist.full_clean(validate_unique=False, validate_constraints=False)
    others = Journalist.objects.filter(email=journalist.email).exclude(pk=journalist.pk)
    if journalist.email and others.exists():
        raise DuplicateEmail


def _saved(journalist: Journalist, *, update_fields: list[str] | None = None) -> bool:
    """Save; False if another request took the address since it was checked."""
    try:
        with transaction.atomic():  # a savepoint, so the race loser's transaction survives
            journalist.save(update_fields=update_fields)
    except IntegrityError:
        return False
    return True


def _save_unique(journalist: Journalist, *, update_fields: list[str] | None = None) -> None:
    _check_unique(journalist)
    if not _saved(journalist, update_fields=update_fields):
        raise DuplicateEmail


def _cleaned(values: dict[str, object]) -> dict[str, object]:
    given = {name: values.get(name) for name in ("email", "phone", "mobile")}
    email, phone, mobile = _normalised_contact(
        given["email"] if isinstance(given["email"], str) else None,
        given["phone"] if isinstance(given["phone"], str) else "",
        given["mobile"] if isinstance(given["mobile"], str) else "",
    )
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    return {**cleaned, "email": email, "phone": phone, "mobile": mobile}


def create_journalist(
    *,
    by: AbstractBaseUser | None,
    first_name: str,
    last_name: str,
    email: str | None = None,
    phone: str = "",
    mobile: str = "",
    outlet: Outlet | None = None,
) -> Journalist:
    """A new contact; its normalised e-mail must not belong to anyone else."""
    values = _cleaned(
        {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone,
         "mobile": mobile, "outlet": outlet}
    )  # fmt: skip
    journalist = Journalist(**values)
    _check_unique(journalist)
    # Checked above, so the writes need no savepoint of their own (two round trips on every
    # new contact): only a failing statement ends a caller's block, as it would its own.
    with transaction.atomic(savepoint=False):
        saved = _saved(journalist)
        if saved:
            audit.record(
                actor=by, action=AuditAction.JOURNALIST_CREATED, journalist_id=journalist.pk
            )
    if not saved:  # another request took the address a moment ago
        raise DuplicateEmail
    return journalist


@transaction.atomic
def update_journalist(
    *, journalist_id: int, by: AbstractBaseUser | None, **changes: object
) -> Journalist:
    """Change a contact's fields (any of JOURNALIST_FIELDS); audit names the fields only.
    `outlet_name` instead of `outlet` finds or creates the outlet in the same transaction."""
    if "outlet_name" in changes:
        name = str(changes.pop("outlet_name") or "")
        changes["outlet"] = find_or_create_outlet(name=name) if name else None
    unknown = set(changes) - set(JOURNALIST_FIELDS)
    if unknown:
        msg = f"Not journalist fields: {sorted(unknown)}"
        raise TypeError(msg)
    journalist = Journalist.objects.select_for_update().get(pk=journalist_id)
    values = _cleaned({name: getattr(journalist, name) for name in JOURNALIST_FIELDS} | changes)
    changed = [name for name in JOURNALIST_FIELDS if getattr(journalist, name) != values[name]]
    if not changed:
        return journalist
    for name in changed:
        setattr(journalist, name, values[name])
    _save_unique(journalist, update_fields=[*changed, "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.JOURNALIST_CHANGED,
        journalist_id=journalist.pk,
        detail={"fields": changed},
    )
    return journalist


def find_journalist(*, email: str | None = None, phone: str | None = None) -> Journalist | None:
    """The contact with this address (or, failing that, this phone or mobile number)."""
    if email and email.strip():
        found = Journalist.objects.filter(email=normalise_email(email)).first()
        if found:
            return found
    if phone and phone.strip():
        number = normalise_phone(phone)
        return (
            Journalist.objects.filter(phone=number) | Journalist.objects.filter(mobile=number)
        ).first()
    return None


def find_or_create_outlet(*, name: str, kind: str = Outlet.Kind.OTHER) -> Outlet:
    """The outlet with this name in any letter case, or a new one (race-safe)."""
    clean = " ".join(name.split())
    existing = Outlet.objects.annotate(lname=Lower("name")).filter(lname=clean.lower()).first()
    if existing:
        return existing
    outlet = Outlet(name=clean, kind=kind)
    outlet.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            outlet.save()
    except IntegrityError:
        return Outlet.objects.annotate(lname=Lower("name")).get(lname=clean.lower())
    return outlet


def ensure_unique_name(
    model: type[Outlet] | type[TopicCategory], *, name: str, exclude_pk: int | None = None
) -> None:
    """Refuse a second outlet or category whose name differs only in letter case."""
    clash = model.objects.annotate(lname=Lower("name")).filter(lname=name.strip().lower())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DuplicateName


MERGE_FILLABLE = ("email", "phone", "mobile", "outlet")


@transaction.atomic
def merge_journalists(
    *,
    keep_id: int,
    duplicate_id: int,
    by: AbstractBaseUser | None,
    take: Collection[str] | None = None,
) -> Journalist:
    """Fold a duplicate contact into the one kept: its enquiries and rights requests follow,
    and the duplicate is deleted. `take` names the fields (of JOURNALIST_FIELDS) whose value
    comes from the duplicate, as the officer chose them side by side; without it, blanks are
    filled from the duplicate and names stay as kept. A name is never made blank. Audit holds
    ids, counts and field names."""
    if keep_id == duplicate_id:
        raise CannotMergeWithItself
    unknown = set(take or ()) - set(JOURNALIST_FIELDS)
    if unknown:
        msg = f"Not journalist fields: {sorted(unknown)}"
        raise TypeError(msg)
    locked = {
        row.pk: row
        for row in Journalist.objects.select_for_update()
        .filter(pk__in=[keep_id, duplicate_id])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise JournalistNotFound
    keep, duplicate = locked[keep_id], locked[duplicate_id]
    moved = Enquiry.objects.filter(journalist_id=duplicate.pk).update(journalist_id=keep.pk)
    requests = RightsRequest.objects.filter(journalist_id=duplicate.pk).update(
        journalist_id=keep.pk
    )
    if take is None:
        taken = [
            name for name in MERGE_FILLABLE if not getattr(keep, name) and getattr(duplicate, name)
        ]
    else:
        taken = [
            name
            for name in JOURNALIST_FIELDS
            if name in take
            and getattr(keep, name) != getattr(duplicate, name)
            and (getattr(duplicate, name) or name not in ("first_name", "last_name"))
        ]
    for name in taken:
        setattr(keep, name, getattr(duplicate, name))
    duplicate.delete()  # first, so its e-mail address is free for the one kept
    if taken:
        keep.save(update_fields=[*taken, "updated_at"])
    detail: dict[str, object] = {"merged_from": duplicate_id, "enquiries": moved, "fields": taken}
    if requests:
        detail["rights_requests"] = requests
    audit.record(
        actor=by, action=AuditAction.JOURNALIST_MERGED, journalist_id=keep.pk, detail=detail
    )
    return keep


FORM_DETAIL_FIELDS = ("first_name", "last_name", "phone", "mobile", "outlet")


def differences(*, journalist: Journalist, given: dict[str, str]) -> dict[str, str]:
    """What the public form gave (normalised) that is not blank and differs from the card; the
    outlet by name in any letter case."""
    _email, phone, mobile = _normalised_contact(
        None, given.get("phone", ""), given.get("mobile", "")
    )
    values = {**given, "phone": phone, "mobile": mobile}
    stored = {name: getattr(journalist, name) for name in FORM_DETAIL_FIELDS if name != "outlet"}
    stored["outlet"] = journalist.outlet.name if journalist.outlet else ""
    found = {}
    for name in FORM_DETAIL_FIELDS:
        value = " ".join(str(values.get(name) or "").split())
        if value and value.casefold() != stored[name].casefold():
            found[name] = value
    return found


@transaction.atomic
def accept_form_details(*, enquiry_id: int, by: AbstractBaseUser) -> Journalist:
    """An officer's one click: what the form gave goes onto the journalist's card (audited on
    the card and on the enquiry), and the enquiry no longer carries it."""
    enquiry = Enquiry.objects.select_for_update(of=("self",)).get(pk=enquiry_id)
    if not enquiry.form_details or enquiry.journalist_id is None:
        raise NothingToAccept
    changes: dict[str, object] = {
        name: value for name, value in enquiry.form_details.items() if name in FORM_DETAIL_FIELDS
    }
    if changes.get("outlet"):
        changes["outlet"] = find_or_create_outlet(name=str(changes["outlet"]))
    journalist = update_journalist(journalist_id=enquiry.journalist_id, by=by, **changes)
    accepted = sorted(enquiry.form_details)
    enquiry.form_details = {}
    enquiry.save(update_fields=["form_details", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.ENQUIRY_CHANGED,
        enquiry_id=enquiry.pk,
        detail={"fields": accepted, "accepted_onto_card": journalist.pk},
    )
    return journalist
