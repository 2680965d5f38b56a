"""Post images through the shared pipeline (neighbourly.core.images)."""

from django.db import transaction

from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.images import (
    ProcessedImage,
    image_delete,
    image_process,
    image_store,
    image_thumbnail,
    images_storage,
)
from neighbourly.core.outbox import outbox_enqueue
from neighbourly.core.storage import new_files
from neighbourly.feed.models import MAX_IMAGES, Post, PostImage
from neighbourly.feed.tasks import post_image_thumbnail_task


def post_images_prepare(*, uploads, existing: int) -> list[ProcessedImage]:
    """Validate and re-encode every upload before anything is written (4xx on the first bad one)."""
    uploads = list(uploads or [])
    if existing + len(uploads) > MAX_IMAGES:
        raise ApplicationError(f"A post can have at most {MAX_IMAGES} images.")
    return [image_process(data=upload) for upload in uploads]


def post_images_store(*, post: Post, processed: list[ProcessedImage], stored: list[str]) -> list[PostImage]:
    """Inside the caller's `new_files` transaction: each file first (written atomically), then its
    row; `stored` collects the names so they are removed if the transaction does not commit: no
    row ever points at a missing file."""
    last = post.images.order_by("-position").values_list("position", flat=True).first() if processed else None
    start = 0 if last is None else last + 1
    rows = []
    for offset, image in enumerate(processed):
        name = image_store(processed=image, prefix=f"posts/{post.community_id}")
        stored.append(name)
        row = PostImage(post=post, position=start + offset, file=name, content_type=image.content_type,
                        width=image.width, height=image.height)
        row.full_clean(exclude=["post"])
        row.save()
        rows.append(row)
        outbox_enqueue(post_image_thumbnail_task, row.pk)  # published after the commit, even if Redis is down
    return rows


def post_image_add(*, user, post: Post, upload) -> PostImage:
    """The author adds one image to their post (at most MAX_IMAGES in all)."""
    if post.author_id != user.pk:
        raise NotFound()
    processed = post_images_prepare(uploads=[upload], existing=0)
    with new_files(images_storage()) as stored:
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.images.count() >= MAX_IMAGES:
            raise ApplicationError(f"A post can have at most {MAX_IMAGES} images.")
        (row,) = post_images_store(post=locked, processed=processed, stored=stored)
    return row


def post_image_make_thumbnail(*, image_id: int) -> None:
    """Idempotent: makes the thumbnail once; a re-run (retry, duplicate delivery) does nothing."""
    image = PostImage.objects.filter(pk=image_id).first()
    if image is None or image.thumbnail:
        return
    try:
        name = image_store(processed=image_thumbnail(name=image.file), prefix=f"posts/{image.post.community_id}/t")
    except FileNotFoundError:  # the image was deleted meanwhile
        return
    with transaction.atomic():
        updated = PostImage.objects.filter(pk=image_id, thumbnail="").update(thumbnail=name)
    if not updated:  # another run won the race, or the image went away
        image_delete(name=name)
