"""Feed tasks. Each imports its service inside the body: the services import this module (to
queue a task), so importing them here at module level would make an import cycle."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=8)
def post_image_thumbnail_task(self, image_id: int) -> None:
    """Idempotent (a second run finds the thumbnail made). Embedded mode: a failure (a full disk)
    leaves the outbox row for the drain instead of retrying inline."""
    from neighbourly.feed.services import post_image_make_thumbnail

    try:
        post_image_make_thumbnail(image_id=image_id)
    except Exception as exc:
        logger.warning("thumbnail for image %s not made (try %s): %r", image_id, self.request.retries, exc)
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc


@shared_task(acks_late=True)
def comment_created_notify_task(comment_id: int) -> None:
    from neighbourly.feed import notify

    notify.comment_created_notify(comment_id=comment_id)


@shared_task(acks_late=True)
def post_published_notify_task(post_id: int, mentioned_before: list[int] | None = None) -> None:
    from neighbourly.feed import notify

    notify.post_published_notify(post_id=post_id, mentioned_before=mentioned_before)


@shared_task(acks_late=True)
def reaction_changed_notify_task(post_id: int, user_id: int, added: bool) -> None:
    from neighbourly.feed import notify

    notify.reaction_changed_notify(post_id=post_id, user_id=user_id, added=added)
