from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = _("Press enquiries")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from enquiries import desk_changes

        connection_created.connect(desk_changes.install, dispatch_uid="desk-changes")
