# The practice profile moved here from the site app (practice_site): the state takes it over
# from the table the site app made, then 0002 renames the table to this app's name.

import practice.core.timezones
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('practice_site', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PracticeProfile',
                    fields=[
                        ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                        ('name', models.CharField(max_length=150)),
                        ('tagline', models.CharField(blank=True, help_text='A short line shown under the name on the home page.', max_length=200)),
                        ('phone', models.CharField(blank=True, max_length=40)),
                        ('email', models.EmailField(blank=True, max_length=254)),
                        ('address', models.TextField(blank=True, help_text='One line per line of the postal address.')),
                        ('hours', models.TextField(blank=True, help_text='One line per day or group of days.', verbose_name='opening hours')),
                        ('time_zone', practice.core.timezones.TimeZoneField(max_length=64)),
                    ],
                    options={
                        'verbose_name': 'practice profile',
                        'verbose_name_plural': 'practice profile',
                        'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='practice_profile_singleton')],
                        'db_table': 'practice_site_practiceprofile',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
