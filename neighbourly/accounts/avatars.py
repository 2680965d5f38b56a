"""Avatars through the shared image pipeline: validated, re-encoded (no metadata), square."""

from django.db import transaction

from neighbourly.accounts.models import Profile
from neighbourly.communities.selectors import shares_community
from neighbourly.core.images import image_delete, image_square, image_store


def profile_avatar_set(*, user, upload) -> Profile:
    processed = image_square(data=upload)  # 4xx for anything that is not a clean JPEG/PNG/WebP
    name = image_store(processed=processed, prefix="avatars")
    try:
        with transaction.atomic():
            profile = Profile.objects.select_for_update().get(user=user)
            old = profile.avatar
            profile.avatar = name
            profile.save(update_fields=["avatar", "updated_at"])
            transaction.on_commit(lambda: image_delete(name=old))
    except BaseException:
        image_delete(name=name)
        raise
    return profile


def profile_avatar_name(*, viewer, user_id: int) -> str:
    """The stored avatar of `user_id` if `viewer` shares a community with them (or is them), else ""
    (the page answers 404: an avatar is not a way to find out who is a member anywhere)."""
    if not shares_community(viewer=viewer, user_id=user_id):
        return ""
    return Profile.objects.filter(user_id=user_id).values_list("avatar", flat=True).first() or ""
