"""Addresses saved in the admin kept their capitals: lower them, as allauth stores its own.

If two accounts share an address in different cases, the migration stops and names them, so
the practice can decide which one to keep (nothing is merged or deleted by guesswork). The
constraint that keeps it so comes in the next migration (data and schema changes apart).
"""

from django.db import migrations, models
from django.db.models.functions import Lower


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
    ]
