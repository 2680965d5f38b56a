from celery import shared_task

from neighbourly.feed import notify
from neighbourly.feed.services import post_image_make_thumbnail


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def post_image_thumbnail_task(image_id: int) -> None:
    post_image_make_thumbnail(image_id=image_id)


@shared_task(acks_late=True)
def comment_created_notify_task(comment_id: int) -> None:
    notify.comment_created_notify(comment_id=comment_id)


@shared_task(acks_late=True)
def post_published_notify_task(post_id: int, mentioned_before: list[int] | None = None) -> None:
    notify.post_published_notify(post_id=post_id, mentioned_before=mentioned_before)


@shared_task(acks_late=True)
def reaction_changed_notify_task(post_id: int, user_id: int, added: bool) -> None:
    notify.reaction_changed_notify(post_id=post_id, user_id=user_id, added=added)
