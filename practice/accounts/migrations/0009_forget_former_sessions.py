"""Delete the sessions of the former store (``django_session``).

Since 0008 sessions are rows of ``accounts.Session`` (``practice.accounts.sessions``): the
rows Django's own store held at the switch are never read again (everyone signs in once
more), and ``clearsessions`` clears only the configured store, so they would be kept for
ever. Not reversible in any useful sense: going back signs everyone in again anyway.
"""

from django.db import migrations


def forget_former_sessions(apps, schema_editor):
    former = apps.get_model("sessions", "Session")
    former.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_sessions_with_their_user"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_former_sessions, migrations.RunPython.noop, elidable=True),
    ]
