"""What the desk keeps about a user account beyond Django's User: its session generation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionGeneration(models.Model):
    """A session carries the generation its user had at login; bumping it ends every
    session of that user at their next request ("log out everywhere")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="session_generation",
    )
    generation = models.PositiveIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("session generation")
        verbose_name_plural = _("session generations")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.generation}"
