"""One account per address in any spelling: User.email and allauth's confirmed addresses.

Addresses saved in the admin before this kept their capitals; they are lowered first. If
two accounts share an address in different cases, the migration stops and names them, so
the practice can decide which one to keep (nothing is merged or deleted by guesswork).
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Lower

EMAIL_TAKEN = "There is already an account with this email address."

#: allauth already stores its addresses lower-case and keeps confirmed ones unique; this index
#: makes the database itself refuse a confirmed address on two accounts in any spelling.
CONFIRMED_INDEX = "account_emailaddress_verified_lower_email_uniq"


def lower_emails(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    clashes = (
        User.objects.annotate(lowered=Lower("email"))
        .values("lowered")
        .annotate(count=models.Count("id"))
        .filter(count__gt=1)
    )
    if clashes:
        names = ", ".join(sorted(row["lowered"] for row in clashes))
        raise RuntimeError(
            f"Several accounts use the same email address in different cases: {names}. "
            "Give each account its own address in the admin, then migrate again."
        )
    for user in User.objects.exclude(email=Lower("email")):
        user.email = user.email.lower()
        user.save(update_fields=["email"])
    for address in EmailAddress.objects.exclude(email=Lower("email")):
        address.email = address.email.lower()
        address.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(lower_emails, migrations.RunPython.noop, elidable=True),
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
