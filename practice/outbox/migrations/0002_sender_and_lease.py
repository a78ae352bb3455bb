from django.conf import settings
from django.db import migrations, models


def sender_of_earlier_messages(apps, schema_editor):
    """Messages queued before the sender was stored go out from DEFAULT_FROM_EMAIL."""
    message = apps.get_model("outbox", "OutboxMessage")
    message.objects.filter(sender="").update(sender=settings.DEFAULT_FROM_EMAIL)


class Migration(migrations.Migration):

    dependencies = [
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="sender",
            field=models.CharField(default="", max_length=500),
            preserve_default=False,
        ),
        migrations.RunPython(sender_of_earlier_messages, migrations.RunPython.noop),
        migrations.AddField(
            model_name="outboxmessage",
            name="sending_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="private",
            field=models.BooleanField(
                default=False,
                help_text="Holds a secret link: hidden from staff, erased once sent or failed.",
            ),
        ),
    ]
