from celery import shared_task

from neighbourly.core.outbox import outbox_drain


@shared_task(acks_late=True, ignore_result=True)
def outbox_drain_task() -> int:
    published, _ = outbox_drain()
    return published
