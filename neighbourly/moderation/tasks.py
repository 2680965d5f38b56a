from celery import shared_task

from neighbourly.communities.services import membership_suspensions_lift_elapsed


@shared_task(acks_late=True)
def suspensions_lift_elapsed_task() -> int:
    """End every suspension that has run its course (idempotent). Reads count an elapsed one as
    verified without writing; the community page lifts it on sight."""
    return membership_suspensions_lift_elapsed()
