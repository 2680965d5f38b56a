"""Account e-mails (confirmation, password reset, notices) sent outside the request, retried on failure."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


def _backoff(retries: int) -> int:
    return min(3600, 30 * 2**retries)  # 30 s, 1 min, 2 min … at most an hour apart


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def account_mail_send_task(self, to: str, subject: str, body: str) -> None:
    try:
        EmailMessage(subject=f"[{settings.NEIGHBOURLY_SITE_NAME}] {subject}", body=body, to=[to]).send()
    except Exception as exc:
        logger.warning("account e-mail %r to %s failed (try %d): %s", subject, to, self.request.retries + 1, exc)
        if self.request.is_eager:
            # No broker to come back later (the embedded mode): the person can ask for the link again.
            logger.error("account e-mail %r to %s not sent; the person can ask for it again", subject, to)
            return
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
