"""Signal receivers of exercises, connected in ``ExercisesConfig.ready``.

A program's prescribed days (``exercises.schedule``) follow its dates, items and pause,
however they were changed (a service, the admin), once the change has committed.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from exercises.models import Program, ProgramItem
from exercises.reminders import program_days_refresh_on_commit


@receiver(post_save, sender=Program, dispatch_uid="exercises.program_days_follow_program")
def program_saved(sender: type[Program], instance: Program, **kwargs: Any) -> None:
    program_days_refresh_on_commit(program_id=instance.pk)


@receiver(post_save, sender=ProgramItem, dispatch_uid="exercises.program_days_follow_item")
@receiver(post_delete, sender=ProgramItem, dispatch_uid="exercises.program_days_follow_item_gone")
def program_item_changed(sender: type[ProgramItem], instance: ProgramItem, **kwargs: Any) -> None:
    program_days_refresh_on_commit(program_id=instance.program_id)
