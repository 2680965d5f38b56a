"""E-mail tasks: idempotent (claim, send, mark), late-acked, retried with backoff. In the embedded
mode (eager) a failure is not retried inline: the outbox row stays and its drain retries it.
Each task imports the services inside its body: the services import this module (to queue a
task), so importing them here at module level would make an import cycle."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


def _backoff(retries: int) -> int:
    return min(30 * 2**retries, 3600)


@shared_task(bind=True, acks_late=True, max_retries=12)
def notification_email_task(self, notification_id: int) -> bool:
    from neighbourly.notifications import services

    try:
        return services.notification_email(notification_id=notification_id)
    except services.EmailBusy as busy:
        if self.request.is_eager:
            raise
        raise self.retry(countdown=busy.retry_in) from None
    except Exception as exc:
        logger.warning("notification %s: e-mail not sent (try %s): %r", notification_id, self.request.retries, exc)
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(bind=True, acks_late=True, max_retries=12)
def digests_send_task(self) -> int:
    from neighbourly.notifications import services

    try:
        return services.digests_send_due()
    except services.EmailBusy as busy:
        if self.request.is_eager:
            raise
        raise self.retry(countdown=busy.retry_in) from None
    except Exception as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(acks_late=True)
def notifications_email_unsent_task() -> int:
    from neighbourly.notifications import services

    return services.notifications_email_unsent()
