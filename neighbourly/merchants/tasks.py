from celery import shared_task

from neighbourly.merchants.services import offers_close_finished
from neighbourly.merchants.stats import impressions_flush


@shared_task(acks_late=True)
def offers_close_finished_task() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): close ended or fully claimed offers. Idempotent."""
    return offers_close_finished()


@shared_task
def offer_impressions_flush_task() -> int:
    """Every minute: cached impression counters into Offer.impressions (re-running moves only what is left)."""
    return impressions_flush()
