"""One account per address in any spelling: User.email and allauth's confirmed addresses."""

import django.db.models.functions.text
from django.db import migrations, models

EMAIL_TAKEN = "There is already an account with this email address."

#: allauth already stores its addresses lower-case and keeps confirmed ones unique; this index
#: makes the database itself refuse a confirmed address on two accounts in any spelling.
CONFIRMED_INDEX = "account_emailaddress_verified_lower_email_uniq"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_lower_emails"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="accounts_user_email_unique_in_any_case",
                violation_error_message=EMAIL_TAKEN,
            ),
        ),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {CONFIRMED_INDEX} ON account_emailaddress (lower(email)) "
            "WHERE verified",
            f"DROP INDEX {CONFIRMED_INDEX}",
        ),
    ]
