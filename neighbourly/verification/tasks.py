from celery import shared_task

from neighbourly.verification.services import claims_sweep_abandoned


@shared_task
def claims_sweep_abandoned_task() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): withdraw abandoned claims and delete their documents."""
    return claims_sweep_abandoned()
