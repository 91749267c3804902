from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0016_outbox_failed_index")]

    operations = [
        migrations.AddField(
            model_name="enquiry",
            name="outlet_kind",
            field=models.CharField(
                blank=True, editable=False, max_length=20, verbose_name="outlet kind"
            ),
        ),
    ]
