"""Django's ModelBackend, with the press-officer permission answered in the query that loads
the user on every request (one round trip instead of three on each desk page)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

DESK_PERMISSION_ATTRIBUTE = "desk_permission"


def desk_permission_of(user: OuterRef) -> Exists:
    """Whether the user holds enquiries.use_desk, directly or through a group."""
    return Exists(
        Permission.objects.filter(
            Q(user=user) | Q(group__user=user),
            codename="use_desk",
            content_type__app_label="enquiries",
        )
    )


class DeskAuthBackend(ModelBackend):
    def get_user(self, user_id: object) -> AbstractBaseUser | None:
        model = get_user_model()
        user = (
            model._default_manager.annotate(
                **{DESK_PERMISSION_ATTRIBUTE: desk_permission_of(OuterRef("pk"))}
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
