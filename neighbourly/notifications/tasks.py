from celery import shared_task

from neighbourly.notifications import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def notification_email_task(notification_id: int) -> bool:
    return services.notification_email(notification_id=notification_id)


@shared_task(acks_late=True)
def digests_send_task() -> int:
    return services.digests_send_due()
