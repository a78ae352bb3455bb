from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('practice_site', '0002_practiceprofile_moved_to_core'),
    ]

    operations = [
        migrations.AlterModelTable(name='practiceprofile', table=None),
    ]
