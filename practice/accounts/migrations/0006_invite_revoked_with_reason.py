"""An ended invite always says why (after 0005 gave the ones ended before a reason)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_invite_revoked_as_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="patientinvite",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("revoked_as", ""), ("revoked_at__isnull", True)),
                    models.Q(
                        ("revoked_at__isnull", False), models.Q(("revoked_as", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="accounts_invite_revoked_with_reason",
            ),
        ),
    ]
