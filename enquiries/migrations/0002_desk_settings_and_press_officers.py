"""The one row of desk settings, and the "Press officers" group with what the desk needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRESS_OFFICER_PERMISSIONS = [
    ("enquiries", "enquiry", "use_desk"),
    ("enquiries", "enquiry", "view_enquiry"),
    ("enquiries", "enquiry", "add_enquiry"),
    ("enquiries", "enquiry", "change_enquiry"),
    ("enquiries", "journalist", "view_journalist"),
    ("enquiries", "journalist", "add_journalist"),
    ("enquiries", "journalist", "change_journalist"),
    ("enquiries", "message", "view_message"),
    ("enquiries", "message", "add_message"),
    ("enquiries", "outlet", "view_outlet"),
    ("enquiries", "outlet", "add_outlet"),
    ("enquiries", "topiccategory", "view_topiccategory"),
]


def create_settings_and_group(apps, schema_editor):
    DeskSettings = apps.get_model("enquiries", "DeskSettings")
    DeskSettings.objects.get_or_create(
        pk=1,
        defaults={
            "press_phone": "+47 21 00 00 00",
            "press_email": "presse@helseetaten.example",
            "post_registry_email": "postmottak@helseetaten.example",
            "public_journal_url": "https://einnsyn.no/",
            "retention_years": 3,
        },
    )
    # Permissions are normally made after migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Press officers")
    for app_label, model, codename in PRESS_OFFICER_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Press officers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_settings_and_group, remove_group)]
