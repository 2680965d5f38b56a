from celery import shared_task

from neighbourly.verification.notify import claim_decision_email
from neighbourly.verification.services import claims_sweep_abandoned


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def claim_decision_notify_task(decision_id: int) -> bool:
    return claim_decision_email(decision_id=decision_id)


@shared_task
def claims_sweep_abandoned_task() -> int:
    return claims_sweep_abandoned()
