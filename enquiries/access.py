"""Who may use the desk: the one definition (DESIGN rule 2).

A user may use the desk, be assigned work, and see personal data in admin when they are
active and either a superuser or hold the press-officer permission (`enquiries.use_desk`),
granted directly or through a group. Everything else asks here: the login backend, the desk
views, the officer lists and admin.
"""

from allauth.mfa.models import Authenticator
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save

from enquiries.models import SessionGeneration

DESK_PERMISSION = "enquiries.use_desk"
_APP_LABEL, _CODENAME = DESK_PERMISSION.split(".")
# The backend annotates the user it loads with the answer, so a page asks no extra query.
_ANNOTATION = "holds_desk_permission"
# … and with its session generation (enquiries.accounts.sessions), in the same query.
GENERATION_ANNOTATION = "pressdesk_session_generation"
# … and with whether they hold a second factor (enquiries.accounts.second_factor).
SECOND_FACTOR_ANNOTATION = "pressdesk_has_second_factor"
# Recovery codes only stand in for one of these; alone they are no second factor.
SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def holds_second_factor() -> Exists:
    """The outer user has a TOTP device or a passkey."""
    return Exists(
        Authenticator.objects.filter(user_id=OuterRef("pk"), type__in=SECOND_FACTOR_TYPES)
    )


def _desk_permission() -> QuerySet[Permission]:
    return Permission.objects.filter(codename=_CODENAME, content_type__app_label=_APP_LABEL)


def _holds_permission(permission: QuerySet[Permission] | None = None) -> Q:
    """The permission (the desk's unless told) granted to the outer user directly or through
    one of their groups."""
    permission = _desk_permission() if permission is None else permission
    direct = User.user_permissions.through.objects.filter(
        user_id=OuterRef("pk"), permission__in=permission
    )
    through_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__permissions__in=permission
    )
    return Q(Exists(direct)) | Q(Exists(through_group))


def desk_users() -> QuerySet[User]:
    """Everyone who may use the desk (and so may be assigned an enquiry)."""
    return User.objects.filter(Q(is_active=True) & (Q(is_superuser=True) | _holds_permission()))


OFFICERS_CACHE_KEY = "desk-officers:v1"
# A backstop only: every change made through Django drops the list at once (forget_officers).
OFFICERS_CACHE_SECONDS = 300


def desk_officers() -> list[User]:
    """The officers' list for assignment, filters and the press duty, by name: ids and names
    of the agency's own staff (nothing of a journalist's), read on every desk page, so kept in
    the shared cache and dropped whenever a user, a group or a permission changes. Whether
    the requesting user may use the desk is never taken from here (DeskAuthBackend asks the
    database on every request), nor is a write's check (`desk_users()`)."""
    rows: list[tuple[int, str, str, str]] | None = cache.get(OFFICERS_CACHE_KEY)
    if rows is None:
        rows = list(
            desk_users()
            .order_by("first_name", "last_name", "username")
            .values_list("pk", "username", "first_name", "last_name")
        )
        cache.set(OFFICERS_CACHE_KEY, rows, OFFICERS_CACHE_SECONDS)
    return [
        User(pk=pk, username=username, first_name=first, last_name=last)
        for pk, username, first, last in rows
    ]


def forget_officers(**_signal: object) -> None:
    """Drop the cached officers' list now (a test, or this process, sees the change at once)
    and again when the transaction commits (no other process can have cached the old list
    between the two)."""
    cache.delete(OFFICERS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(OFFICERS_CACHE_KEY))


def subscribe() -> None:
    """Who may use the desk changes with a user, their groups and permissions, a group's
    permissions, or a permission itself, whether through admin, a command, SSO or a service."""
    for model in (User, Group, Permission):
        post_save.connect(forget_officers, sender=model, dispatch_uid=f"officers-save-{model}")
        post_delete.connect(forget_officers, sender=model, dispatch_uid=f"officers-delete-{model}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(forget_officers, sender=through, dispatch_uid=f"officers-{through}")


def may_use_desk(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    known = getattr(user, _ANNOTATION, None)
    if known is None:  # a user loaded some other way than by the backend below
        known = desk_users().filter(pk=user.pk).exists()
    return bool(known)


READS_PERMISSION = "enquiries.see_reads"


def may_see_reads(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Who may see who has read a contact's data (the "Auditors" group): a desk user holding
    READS_PERMISSION, asked in one query."""
    if not may_use_desk(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    app_label, codename = READS_PERMISSION.split(".")
    permission = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    return User.objects.filter(Q(pk=user.pk) & _holds_permission(permission)).exists()


class DeskAuthBackend(ModelBackend):
    """Django's ModelBackend; the user it loads on every request carries the answers to
    `may_use_desk` and to "has a second factor", in the same query."""

    def get_user(self, user_id: object) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:  # not an id at all: nobody
            return None
        generation = SessionGeneration.objects.filter(user_id=OuterRef("pk")).values("generation")
        user = (
            User.objects.filter(pk=pk)
            .annotate(
                **{
                    _ANNOTATION: _holds_permission(),
                    GENERATION_ANNOTATION: Coalesce(Subquery(generation), Value(0)),
                    SECOND_FACTOR_ANNOTATION: holds_second_factor(),
                }
            )
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
