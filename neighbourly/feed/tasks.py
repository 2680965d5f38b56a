from celery import shared_task

from neighbourly.feed.services import post_image_make_thumbnail


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def post_image_thumbnail_task(image_id: int) -> None:
    post_image_make_thumbnail(image_id=image_id)
