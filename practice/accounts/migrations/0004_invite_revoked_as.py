"""Why an invite ended before its time is stored with it (the data and the rule follow)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_email_unique_in_any_case"),
    ]

    operations = [
        migrations.AddField(
            model_name="patientinvite",
            name="revoked_as",
            field=models.CharField(
                blank=True,
                choices=[
                    ("not_needed", "Not needed: she has a password"),
                    ("replaced", "Replaced by a newer link"),
                    ("address_changed", "Cancelled: her email address was changed"),
                ],
                max_length=20,
            ),
        ),
    ]
