from celery import Task, shared_task

from practice.outbox import delivery, services


@shared_task(name="outbox.deliver", bind=True, max_retries=None, acks_late=True)
def deliver(self: Task, message_id: int) -> None:
    """Send one queued email; the row, not Celery, counts the attempts and decides to give up."""
    retry_in = delivery.message_deliver(message_id=message_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="outbox.deliver_batch", acks_late=True)
def deliver_batch(message_ids: list[int]) -> None:
    """Send a batch of queued emails over one connection (``delivery.messages_deliver``);
    an email that needs another try gets a task of its own, as if it had been sent alone."""
    for message_id, retry_in in delivery.messages_deliver(message_ids=message_ids).items():
        deliver.apply_async(args=(message_id,), countdown=retry_in)


@shared_task(name="outbox.sweep")
def sweep() -> int:
    """Run by beat every OUTBOX_SWEEP_INTERVAL seconds (which also sets its expiry)."""
    return services.outbox_sweep()
