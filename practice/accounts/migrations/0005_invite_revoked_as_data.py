"""Record how the invites that ended before 0004 ended.

Links revoked before were replaced by a newer one. A link still open for a patient who has a
password was ended only by reading her password at each use: it is recorded as not needed
now, so turning her password off later cannot re-open it.
"""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import migrations
from django.utils import timezone


def record_endings(apps, schema_editor) -> None:
    PatientInvite = apps.get_model("accounts", "PatientInvite")
    PatientInvite.objects.filter(revoked_at__isnull=False).update(revoked_as="replaced")
    PatientInvite.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).exclude(
        patient__password__startswith=UNUSABLE_PASSWORD_PREFIX
    ).update(revoked_at=timezone.now(), revoked_as="not_needed")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_invite_revoked_as"),
    ]

    operations = [
        migrations.RunPython(record_endings, migrations.RunPython.noop),
    ]
