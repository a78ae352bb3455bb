"""The practice profile moved from the site app to the core: an existing row survives."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_the_profile_a_practice_edited_survives_the_move_to_core() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("practice_site", "0001_initial"), ("core", None)])
    old = executor.loader.project_state([("practice_site", "0001_initial")]).apps
    old.get_model("practice_site", "PracticeProfile").objects.create(
        id=1, name="Strong Bones PT, LLC", time_zone="Europe/London"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state().apps
    profile = new.get_model("core", "PracticeProfile").objects.get()

    assert (profile.name, profile.time_zone) == ("Strong Bones PT, LLC", "Europe/London")
    assert "practice_site_practiceprofile" not in connection.introspection.table_names()
