from celery import shared_task

from neighbourly.realtime import notify


@shared_task(acks_late=True)
def conversation_notify_task(conversation_id: int) -> int:
    return notify.conversation_notify(conversation_id=conversation_id)
