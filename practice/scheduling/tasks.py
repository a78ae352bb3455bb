from celery import shared_task

from practice.scheduling import services


@shared_task(name="scheduling.run_due_jobs", expires=55)
def run_due_jobs() -> int:
    return services.jobs_run_due()
