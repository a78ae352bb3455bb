# The practice profile now belongs to practice.core (see core 0001): only the state forgets it.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('practice_site', '0001_initial'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='PracticeProfile')],
            database_operations=[],
        ),
    ]
