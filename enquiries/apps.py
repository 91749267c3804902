from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = _("Press enquiries")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The outbox knows no kind of mail: its owners subscribe here.
        from django.db.models.signals import post_migrate

        from enquiries import access, tasks  # noqa: F401 (tasks: registers them by name)
        from enquiries.accounts import signins
        from enquiries.core import first_reply
        from enquiries.foi import routing as foi_routing
        from enquiries.handling import replies

        # SQLite drops a table's triggers when a migration rebuilds it: put them back.
        post_migrate.connect(first_reply.ensure_triggers, sender=self)
        foi_routing.subscribe()
        replies.subscribe()
        signins.subscribe()
        access.subscribe()
