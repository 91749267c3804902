"""FOI routings become owners of outbox rows: the webhook is an outbox transport, the routing
no longer has a delivery state machine of its own."""

from django.db import migrations, models


def webhook_routings_to_outbox(apps, schema_editor):
    """Give each webhook routing not yet forwarded an outbox row, so the relay posts it."""
    FoiRouting = apps.get_model("enquiries", "FoiRouting")
    OutboundEmail = apps.get_model("enquiries", "OutboundEmail")
    pending = FoiRouting.objects.filter(backend="webhook", delivery__isnull=True).exclude(
        status="sent"
    )
    for routing in pending.select_related("enquiry"):
        status = "failed" if routing.status == "failed" else "queued"
        routing.delivery = OutboundEmail.objects.create(
            kind="foi_routing",
            transport="archive_webhook",
            idempotency_key=f"foi-routing:{routing.idempotency_key}",
            subject=routing.enquiry.reference,
            body="",
            enquiry=routing.enquiry,
            status=status,
            attempts=routing.attempts,
            last_error=routing.last_error,
            created_at=routing.queued_at,
            retry_seconds=24 * 3600,
        )
        routing.save(update_fields=["delivery"])


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0012_foi_routing")]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="transport",
            field=models.CharField(default="smtp", max_length=20, verbose_name="sent by"),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="receipt",
            field=models.CharField(blank=True, max_length=300, verbose_name="receipt"),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="retry_seconds",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="retried for (seconds)"
            ),
        ),
        migrations.RenameField(model_name="foirouting", old_name="email", new_name="delivery"),
        migrations.AlterField(
            model_name="foirouting",
            name="delivery",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="foi_routing",
                to="enquiries.outboundemail",
                verbose_name="delivery",
            ),
        ),
        migrations.RunPython(webhook_routings_to_outbox, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="foirouting", name="foirouting_pending_idx"),
        migrations.RemoveField(model_name="foirouting", name="next_attempt_at"),
        migrations.RemoveField(model_name="foirouting", name="claimed_at"),
        migrations.AddIndex(
            model_name="foirouting",
            index=models.Index(
                condition=models.Q(("status", "sent"), _negated=True),
                fields=["status", "queued_at"],
                name="foirouting_pending_idx",
            ),
        ),
    ]
